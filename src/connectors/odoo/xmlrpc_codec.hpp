#pragma once
// XML-RPC codec: builds <methodCall> documents and reads <methodResponse>
// documents into Odoo values (see value.hpp for the type mapping).
//
// The decoder treats its input as hostile: it refuses a DOCTYPE (hence any
// entity declaration or expansion), external entities, documents larger than
// `DecodeLimits::max_bytes` and element nesting deeper than
// `DecodeLimits::max_depth`; every structural surprise (unknown element, a
// second value, text where none belongs, a bad number) is an
// OdooError(Kind::protocol) naming what was wrong. It never crashes and never
// silently drops input.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "connectors/odoo/value.hpp"

namespace visor::odoo {

struct EncodeOptions {
  /// Encode JSON null as <nil/> (an extension Python's xmlrpc, hence Odoo,
  /// reads as None). When false, a null is an error.
  bool allow_nil = false;
};

struct DecodeLimits {
  std::size_t max_bytes = 256u * 1024 * 1024;  // the whole document
  /// Nesting of XML elements, root included. Each level of array or struct
  /// costs three elements (value/array/data, value/struct/member), so 132
  /// allows about 40 levels of values — well inside kMaxValueDepth, hence
  /// everything decoded can be encoded again.
  std::size_t max_depth = 132;
};

/// An XML-RPC <fault>: Odoo's faultCode and faultString.
struct XmlRpcFault {
  std::int64_t code = 0;
  std::string message;
};

/// A decoded <methodResponse>: either a value or a fault.
struct XmlRpcResponse {
  Value value;                       // the single result (null when a fault)
  std::optional<XmlRpcFault> fault;  // set when the server answered <fault>
  bool ok() const { return !fault.has_value(); }
};

/// A decoded <methodCall> (used by tests and doubles).
struct XmlRpcCall {
  std::string method;
  Array params;
};

/// <methodCall> for `method` with positional `params`. Throws
/// std::invalid_argument when a value cannot be carried: null without
/// allow_nil, invalid UTF-8, characters XML forbids, non-finite doubles,
/// integers beyond int64, nesting beyond kMaxValueDepth, or a bad method name.
std::string encode_call(std::string_view method, const Array& params, const EncodeOptions& options = {});

/// <methodResponse> with one value, or with a fault (for tests and doubles).
std::string encode_response(const Value& result, const EncodeOptions& options = {});
std::string encode_fault(const XmlRpcFault& fault);

/// Reads a <methodResponse>. Throws OdooError(Kind::protocol) on anything
/// that is not a well-formed, well-typed XML-RPC response.
XmlRpcResponse decode_response(std::string_view xml, const DecodeLimits& limits = {});

/// Reads a <methodCall>; same guarantees as decode_response.
XmlRpcCall decode_call(std::string_view xml, const DecodeLimits& limits = {});

}  // namespace visor::odoo
