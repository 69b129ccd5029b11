// XML-RPC encoding: Odoo values → <methodCall> / <methodResponse>.
#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "connectors/odoo/text.hpp"
#include "connectors/odoo/xmlrpc_codec.hpp"

namespace visor::odoo {
namespace {

std::string hex(char32_t cp) {
  char buf[16];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, static_cast<std::uint32_t>(cp), 16);
  return "U+" + std::string(4 - std::min<std::ptrdiff_t>(4, end - buf), '0') + std::string(buf, end);
}

// Escapes text for element content. CR becomes &#13; so that XML's
// end-of-line normalisation does not turn it into LF on the other side.
void append_text(std::string& out, std::string_view text, std::string_view what) {
  if (!is_valid_utf8(text)) throw std::invalid_argument("XML-RPC: " + std::string(what) + " is not valid UTF-8");
  if (const auto bad = first_non_xml_char(text)) {
    throw std::invalid_argument("XML-RPC: " + std::string(what) + " contains " + hex(*bad) +
                                ", which XML cannot carry");
  }
  for (char c : text) {
    switch (c) {
      case '&': out.append("&amp;"); break;
      case '<': out.append("&lt;"); break;
      case '>': out.append("&gt;"); break;
      case '\r': out.append("&#13;"); break;
      default: out.push_back(c);
    }
  }
}

void append_int(std::string& out, std::int64_t v) {
  const bool small = v >= std::numeric_limits<std::int32_t>::min() && v <= std::numeric_limits<std::int32_t>::max();
  char buf[24];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(small ? "<int>" : "<i8>").append(buf, end).append(small ? "</int>" : "</i8>");
}

void append_double(std::string& out, double v) {
  if (!std::isfinite(v)) throw std::invalid_argument("XML-RPC: cannot encode a non-finite double");
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append("<double>").append(buf, end).append("</double>");
}

class Encoder {
 public:
  Encoder(std::string& out, const EncodeOptions& options) : out_(out), options_(options) {}

  void value(const Value& v, std::size_t depth) {
    if (depth > kMaxValueDepth) throw std::invalid_argument("XML-RPC: value nested deeper than the limit");
    out_.append("<value>");
    switch (v.kind()) {
      case boost::json::kind::null:
        if (!options_.allow_nil) throw std::invalid_argument("XML-RPC: null is not allowed here");
        out_.append("<nil/>");
        break;
      case boost::json::kind::bool_: out_.append(v.get_bool() ? "<boolean>1</boolean>" : "<boolean>0</boolean>"); break;
      case boost::json::kind::int64: append_int(out_, v.get_int64()); break;
      case boost::json::kind::uint64:
        if (v.get_uint64() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
          throw std::invalid_argument("XML-RPC: integer beyond int64");
        }
        append_int(out_, static_cast<std::int64_t>(v.get_uint64()));
        break;
      case boost::json::kind::double_: append_double(out_, v.get_double()); break;
      case boost::json::kind::string:
        out_.append("<string>");
        append_text(out_, v.get_string(), "a string");
        out_.append("</string>");
        break;
      case boost::json::kind::array:
        out_.append("<array><data>");
        for (const auto& item : v.get_array()) value(item, depth + 1);
        out_.append("</data></array>");
        break;
      case boost::json::kind::object:
        out_.append("<struct>");
        for (const auto& member : v.get_object()) {
          out_.append("<member><name>");
          append_text(out_, member.key(), "a struct member name");
          out_.append("</name>");
          value(member.value(), depth + 1);
          out_.append("</member>");
        }
        out_.append("</struct>");
        break;
    }
    out_.append("</value>");
  }

 private:
  std::string& out_;
  const EncodeOptions& options_;
};

// XML-RPC method names: letters, digits, '_', '.', ':', '/'.
void check_method_name(std::string_view method) {
  if (method.empty()) throw std::invalid_argument("XML-RPC: empty method name");
  for (char c : method) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
                    c == '.' || c == ':' || c == '/';
    if (!ok) throw std::invalid_argument("XML-RPC: invalid method name");
  }
}

constexpr std::string_view kProlog = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

}  // namespace

std::string encode_call(std::string_view method, const Array& params, const EncodeOptions& options) {
  check_method_name(method);
  std::string out(kProlog);
  out.append("<methodCall><methodName>").append(method).append("</methodName><params>");
  Encoder encoder(out, options);
  for (const auto& p : params) {
    out.append("<param>");
    encoder.value(p, 1);
    out.append("</param>");
  }
  out.append("</params></methodCall>\n");
  return out;
}

std::string encode_response(const Value& result, const EncodeOptions& options) {
  std::string out(kProlog);
  out.append("<methodResponse><params><param>");
  Encoder(out, options).value(result, 1);
  out.append("</param></params></methodResponse>\n");
  return out;
}

std::string encode_fault(const XmlRpcFault& fault) {
  std::string out(kProlog);
  out.append("<methodResponse><fault><value><struct><member><name>faultCode</name><value>");
  append_int(out, fault.code);
  out.append("</value></member><member><name>faultString</name><value><string>");
  append_text(out, fault.message, "the fault string");
  out.append("</string></value></member></struct></value></fault></methodResponse>\n");
  return out;
}

}  // namespace visor::odoo
