// XML-RPC decoding with expat: a streaming, strict reader of <methodResponse>
// and <methodCall>. Each open element is a Frame on a stack; a closing
// element turns its frame into a value and hands it to its parent.
#include <vector>

#include <expat.h>

#include "connectors/odoo/errors.hpp"
#include "connectors/odoo/text.hpp"
#include "connectors/odoo/xmlrpc_codec.hpp"

namespace visor::odoo {
namespace {

enum class Tag {
  method_response, method_call, method_name, params, param, fault, value,
  array, data, struct_, member, name,
  int_, boolean, double_, string, datetime, base64, nil,
};

struct TagName {
  std::string_view text;
  Tag tag;
};
// Most frequent first: the lookup is a linear scan.
constexpr TagName kTags[] = {
    {"value", Tag::value}, {"member", Tag::member}, {"name", Tag::name}, {"string", Tag::string},
    {"int", Tag::int_}, {"boolean", Tag::boolean}, {"array", Tag::array}, {"data", Tag::data},
    {"struct", Tag::struct_}, {"double", Tag::double_}, {"i4", Tag::int_}, {"i8", Tag::int_},
    {"nil", Tag::nil}, {"dateTime.iso8601", Tag::datetime}, {"base64", Tag::base64}, {"ex:i8", Tag::int_},
    {"ex:nil", Tag::nil}, {"params", Tag::params}, {"param", Tag::param}, {"fault", Tag::fault},
    {"methodResponse", Tag::method_response}, {"methodCall", Tag::method_call}, {"methodName", Tag::method_name},
};

const TagName* find_tag(std::string_view name) {
  for (const auto& t : kTags) {
    if (t.text == name) return &t;
  }
  return nullptr;
}

bool is_scalar(Tag t) { return t >= Tag::int_; }
bool holds_text(Tag t) { return is_scalar(t) || t == Tag::value || t == Tag::name || t == Tag::method_name; }

bool is_blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

std::string_view trimmed(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

// Which children an element accepts.
bool allowed_child(Tag parent, Tag child) {
  switch (parent) {
    case Tag::method_response: return child == Tag::params || child == Tag::fault;
    case Tag::method_call: return child == Tag::method_name || child == Tag::params;
    case Tag::params: return child == Tag::param;
    case Tag::param:
    case Tag::fault:
    case Tag::data: return child == Tag::value;
    case Tag::value: return child == Tag::array || child == Tag::struct_ || is_scalar(child);
    case Tag::array: return child == Tag::data;
    case Tag::struct_: return child == Tag::member;
    case Tag::member: return child == Tag::name || child == Tag::value;
    default: return false;
  }
}

struct Frame {
  Tag tag = Tag::value;
  std::string_view element;  // the name as written, for messages
  std::string text;
  Value result;
  int children = 0;
  std::string member_name;
  bool has_name = false;
  bool has_value = false;
};

// The open elements. Frames are reused from one element to the next so that
// their text buffers keep their capacity (fewer allocations per value).
class FrameStack {
 public:
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  Frame& back() { return frames_[size_ - 1]; }

  Frame& push(Tag tag, std::string_view element) {
    if (size_ == frames_.size()) frames_.emplace_back();
    Frame& f = frames_[size_++];
    f.tag = tag;
    f.element = element;
    f.text.clear();
    f.result = nullptr;
    f.children = 0;
    f.member_name.clear();
    f.has_name = f.has_value = false;
    return f;
  }
  /// The popped frame stays valid until the next push.
  Frame& pop() { return frames_[--size_]; }

 private:
  std::vector<Frame> frames_;
  std::size_t size_ = 0;
};

class Decoder {
 public:
  Decoder(Tag root, const DecodeLimits& limits) : root_(root), limits_(limits) {}

  void run(std::string_view xml) {
    const std::string_view what = root_ == Tag::method_response ? "XML-RPC response" : "XML-RPC call";
    if (xml.size() > limits_.max_bytes) {
      fail(std::string(what) + " of " + std::to_string(xml.size()) + " bytes exceeds the limit of " +
           std::to_string(limits_.max_bytes));
      throw_error(what);
    }
    if (is_blank(xml)) {
      fail("empty document");
      throw_error(what);
    }
    XML_Parser parser = XML_ParserCreate(nullptr);
    if (parser == nullptr) throw std::bad_alloc();
    struct Free {
      XML_Parser p;
      ~Free() { XML_ParserFree(p); }
    } guard{parser};
    harden(parser);

    constexpr std::size_t kChunk = 1u << 20;  // XML_Parse takes an int length
    std::size_t offset = 0;
    do {
      const auto len = std::min(kChunk, xml.size() - offset);
      const bool last = offset + len == xml.size();
      if (XML_Parse(parser, xml.data() + offset, static_cast<int>(len), last) != XML_STATUS_OK) {
        if (error_.empty()) {
          error_ = "not well-formed XML: " + std::string(XML_ErrorString(XML_GetErrorCode(parser))) + " (line " +
                   std::to_string(XML_GetCurrentLineNumber(parser)) + ", column " +
                   std::to_string(XML_GetCurrentColumnNumber(parser)) + ")";
        }
        throw_error(what);
      }
      offset += len;
    } while (offset < xml.size());
    if (!done_) {
      fail("empty document");
      throw_error(what);
    }
  }

  XmlRpcResponse response() {
    XmlRpcResponse out;
    if (!is_fault_) {
      out.value = std::move(root_result_);
      return out;
    }
    const auto* obj = root_result_.if_object();
    const auto* code = obj ? obj->if_contains("faultCode") : nullptr;
    const auto* text = obj ? obj->if_contains("faultString") : nullptr;
    if (!code || !code->is_int64() || !text || !text->is_string()) {
      throw OdooError(OdooError::Kind::protocol,
                      "XML-RPC fault is not a struct with an int faultCode and a string faultString");
    }
    out.fault = XmlRpcFault{code->get_int64(), std::string(text->get_string())};
    return out;
  }

  XmlRpcCall call() { return XmlRpcCall{std::move(method_name_), std::move(root_result_.as_array())}; }

 private:
  static void on_start(void* self, const XML_Char* name, const XML_Char** attrs) {
    static_cast<Decoder*>(self)->start(name, attrs);
  }
  static void on_end(void* self, const XML_Char*) { static_cast<Decoder*>(self)->end(); }
  static void on_text(void* self, const XML_Char* s, int len) {
    static_cast<Decoder*>(self)->text(std::string_view(s, static_cast<std::size_t>(len)));
  }
  static void on_doctype(void* self, const XML_Char*, const XML_Char*, const XML_Char*, int) {
    static_cast<Decoder*>(self)->fail("DOCTYPE declarations are not allowed");
  }
  static void on_entity(void* self, const XML_Char*, int, const XML_Char*, int, const XML_Char*, const XML_Char*,
                        const XML_Char*, const XML_Char*) {
    static_cast<Decoder*>(self)->fail("entity declarations are not allowed");
  }
  static int on_external_entity(XML_Parser, const XML_Char*, const XML_Char*, const XML_Char*, const XML_Char*) {
    return XML_STATUS_ERROR;
  }

  void harden(XML_Parser parser) {
    parser_ = parser;
    XML_SetUserData(parser, this);
    XML_SetElementHandler(parser, on_start, on_end);
    XML_SetCharacterDataHandler(parser, on_text);
    XML_SetStartDoctypeDeclHandler(parser, on_doctype);
    XML_SetEntityDeclHandler(parser, on_entity);
    XML_SetExternalEntityRefHandler(parser, on_external_entity);
    XML_SetParamEntityParsing(parser, XML_PARAM_ENTITY_PARSING_NEVER);
#ifdef VISOR_EXPAT_BILLION_LAUGHS
    // Unreachable while DOCTYPE is refused; kept in case that ever changes.
    XML_SetBillionLaughsAttackProtectionMaximumAmplification(parser, 2.0f);
    XML_SetBillionLaughsAttackProtectionActivationThreshold(parser, 64u * 1024);
#endif
  }

  void fail(std::string message) {
    if (!error_.empty()) return;
    error_ = std::move(message);
    if (parser_ != nullptr) XML_StopParser(parser_, XML_FALSE);
  }

  bool reject(std::string message) {
    fail(std::move(message));
    return false;
  }

  [[noreturn]] void throw_error(std::string_view what) const {
    throw OdooError(OdooError::Kind::protocol, std::string(what) + ": " + error_);
  }

  static std::string quote(std::string_view name) { return "<" + clip(printable(name), 40) + ">"; }

  void start(std::string_view name, const XML_Char** attrs) {
    if (!error_.empty()) return;
    if (stack_.size() + 1 > limits_.max_depth) return fail("elements nested deeper than " + std::to_string(limits_.max_depth));
    if (attrs != nullptr && attrs[0] != nullptr) return fail(quote(name) + " must not have attributes");
    const TagName* known = find_tag(name);
    if (known == nullptr) return fail("unknown element " + quote(name));
    if (stack_.empty()) {
      if (known->tag != root_ || done_) return fail("unexpected root element " + quote(name));
    } else {
      auto& parent = stack_.back();
      if (!allowed_child(parent.tag, known->tag)) return fail(quote(name) + " is not allowed inside " + quote(parent.element));
      if (!enter_child(parent, known->tag)) return;
    }
    Frame& frame = stack_.push(known->tag, known->text);
    if (frame.tag == Tag::array || frame.tag == Tag::data || frame.tag == Tag::params) frame.result = Array();
    if (frame.tag == Tag::struct_) frame.result = Object();
  }

  // Enforces how many children of each kind a parent takes.
  bool enter_child(Frame& parent, Tag child) {
    ++parent.children;
    switch (parent.tag) {
      case Tag::method_response:
      case Tag::param:
      case Tag::fault:
      case Tag::array:
        if (parent.children > 1) return reject(quote(parent.element) + " holds more than one element");
        return true;
      case Tag::value:
        if (parent.children > 1) return reject("a <value> holds more than one typed element");
        if (!is_blank(parent.text)) return reject("a <value> mixes text with a typed element");
        return true;
      case Tag::method_call:
        if (child == Tag::method_name && parent.children != 1) return reject("<methodName> must come first, once");
        if (child == Tag::params && parent.children != 2) return reject("<params> must follow <methodName>, once");
        return true;
      case Tag::member:
        if (child == Tag::name && parent.has_name) return reject("a <member> holds two <name>s");
        if (child == Tag::value && parent.has_value) return reject("a <member> holds two <value>s");
        return true;
      default: return true;
    }
  }

  void text(std::string_view s) {
    if (!error_.empty() || stack_.empty()) return;
    auto& top = stack_.back();
    if (holds_text(top.tag)) {
      if (top.tag == Tag::value && top.children > 0 && !is_blank(s)) return fail("a <value> mixes text with a typed element");
      top.text.append(s);
      return;
    }
    if (!is_blank(s)) return fail("unexpected text inside " + quote(top.element));
  }

  void end() {
    if (!error_.empty() || stack_.empty()) return;
    Frame& frame = stack_.pop();
    if (is_scalar(frame.tag)) {
      auto v = scalar(frame);
      if (!error_.empty()) return;
      return deliver(std::move(v));
    }
    switch (frame.tag) {
      case Tag::value:
        if (frame.children == 0) frame.result = boost::json::string(frame.text);  // untyped = string
        return deliver(std::move(frame.result));
      case Tag::name:
        std::swap(stack_.back().member_name, frame.text);
        stack_.back().has_name = true;
        return;
      case Tag::method_name:
        if (trimmed(frame.text).empty()) return fail("empty <methodName>");
        method_name_ = std::string(trimmed(frame.text));
        return;
      case Tag::member:
        if (!frame.has_name) return fail("a <member> without <name>");
        if (!frame.has_value) return fail("a <member> without <value>");
        stack_.back().result.as_object().insert_or_assign(frame.member_name, std::move(frame.result));
        return;
      case Tag::param:
      case Tag::fault:
        if (frame.children == 0) return fail(quote(frame.element) + " without <value>");
        if (frame.tag == Tag::fault) is_fault_ = true;
        return deliver(std::move(frame.result));
      case Tag::array:
        if (frame.children == 0) return fail("an <array> without <data>");
        return deliver(std::move(frame.result));
      case Tag::data:
      case Tag::struct_:
        return deliver(std::move(frame.result));
      case Tag::params:
        if (root_ == Tag::method_response && frame.result.as_array().size() != 1) {
          return fail("a response must hold exactly one <param>");
        }
        if (root_ == Tag::method_response) return deliver(std::move(frame.result.as_array().front()));
        return deliver(std::move(frame.result));
      case Tag::method_response:
      case Tag::method_call:
        if (frame.tag == Tag::method_response && frame.children == 0) return fail("empty <methodResponse>");
        if (frame.tag == Tag::method_call && method_name_.empty()) return fail("<methodCall> without <methodName>");
        if (frame.tag == Tag::method_call && !frame.result.is_array()) frame.result = Array();
        root_result_ = std::move(frame.result);
        done_ = true;
        return;
      default: return fail("internal: unhandled element");
    }
  }

  // Hands a finished value to the element that holds it.
  void deliver(Value v) {
    auto& parent = stack_.back();
    switch (parent.tag) {
      case Tag::data:
      case Tag::params: parent.result.as_array().push_back(std::move(v)); return;
      case Tag::member: parent.result = std::move(v), parent.has_value = true; return;
      default: parent.result = std::move(v); return;
    }
  }

  Value scalar(const Frame& f) {
    const std::string_view text = f.text;
    switch (f.tag) {
      case Tag::string: return boost::json::string(text);
      case Tag::nil:
        if (!is_blank(text)) fail("<nil/> must be empty");
        return nullptr;
      case Tag::boolean:
        if (trimmed(text) == "1" || trimmed(text) == "0") return trimmed(text) == "1";
        fail("bad boolean " + quoted_value(trimmed(text)));
        return nullptr;
      case Tag::int_:
        if (auto v = xmlrpc_int(text)) return *v;
        fail("bad integer " + quoted_value(trimmed(text)) + " in " + quote(f.element));
        return nullptr;
      case Tag::double_:
        if (auto v = xmlrpc_double(text)) return *v;
        fail("bad double " + quoted_value(trimmed(text)));
        return nullptr;
      case Tag::datetime:
        if (auto dt = odoo_datetime_from_iso8601(text)) return boost::json::string(*dt);
        fail("bad dateTime.iso8601 " + quoted_value(trimmed(text)));
        return nullptr;
      case Tag::base64:
        if (auto bytes = base64_decode(text)) return boost::json::string(*bytes);
        fail("bad base64 content");
        return nullptr;
      default: fail("internal: not a scalar"); return nullptr;
    }
  }

  static std::string quoted_value(std::string_view v) { return "'" + clip(printable(v), 40) + "'"; }

  Tag root_;
  const DecodeLimits& limits_;
  XML_Parser parser_ = nullptr;
  FrameStack stack_;
  std::string error_;
  Value root_result_;
  std::string method_name_;
  bool is_fault_ = false;
  bool done_ = false;
};

}  // namespace

XmlRpcResponse decode_response(std::string_view xml, const DecodeLimits& limits) {
  Decoder decoder(Tag::method_response, limits);
  decoder.run(xml);
  return decoder.response();
}

XmlRpcCall decode_call(std::string_view xml, const DecodeLimits& limits) {
  Decoder decoder(Tag::method_call, limits);
  decoder.run(xml);
  return decoder.call();
}

}  // namespace visor::odoo
