#include "connectors/odoo/errors.hpp"

#include <array>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "connectors/odoo/text.hpp"

namespace visor::odoo {
namespace {

constexpr std::size_t kMaxMessageInWhat = 500;

bool default_retryable(OdooError::Kind kind) {
  return kind == OdooError::Kind::server || kind == OdooError::Kind::transport;
}

std::string describe(const OdooError::Details& d) {
  std::string out = "Odoo ";
  out.append(to_string(d.kind)).append(" error: ").append(clip(d.message, kMaxMessageInWhat));
  std::string where;
  if (d.http_status != 0) where = "HTTP " + std::to_string(d.http_status);
  if (d.fault_code) {
    if (!where.empty()) where += ", ";
    where += "fault " + std::to_string(*d.fault_code);
  }
  if (!d.name.empty()) {
    if (!where.empty()) where += ", ";
    where += d.name;
  }
  if (!where.empty()) out.append(" (").append(where).append(")");
  return out;
}

std::string_view trim_view(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

bool is_python_name(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

// A Python traceback ends with the exception line "Name: message" (the
// message may span several lines, or be absent) after the indented frames of
// the last "Traceback (most recent call last):" block.
bool parse_traceback(std::string_view text, std::string& name, std::string& message) {
  constexpr std::string_view header = "Traceback (most recent call last):";
  const auto start = text.rfind(header);
  if (start == std::string_view::npos) return false;
  std::size_t pos = start + header.size();
  while (pos < text.size()) {
    const auto line_start = pos;
    const auto eol = std::min(text.find('\n', pos), text.size());
    const auto line = text.substr(line_start, eol - line_start);
    pos = eol + 1;
    if (trim_view(line).empty() || line.front() == ' ' || line.front() == '\t') continue;
    const auto colon = line.find(':');
    const auto head = colon == std::string_view::npos ? trim_view(line) : line.substr(0, colon);
    if (!is_python_name(head)) {
      name.clear();
      message.assign(trim_view(text.substr(line_start)));
      return true;
    }
    name.assign(head);
    message.assign(trim_view(text.substr(std::min(line_start + head.size() + 1, text.size()))));
    return true;
  }
  return false;
}

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

bool looks_missing(std::string_view message) {
  return contains(message, "does not exist or has been deleted") || contains(message, "doesn't exist");
}

bool looks_missing_database(std::string_view message) {
  return contains(message, "database \"") && contains(message, "does not exist");
}

// <title>…</title> of an HTML error page, if any.
std::string html_title(std::string_view body) {
  const auto open = body.find("<title>");
  if (open == std::string_view::npos) return {};
  const auto from = open + 7;
  const auto close = body.find("</title>", from);
  if (close == std::string_view::npos) return {};
  return std::string(trim_view(body.substr(from, close - from)));
}

OdooError::Kind kind_for_status(int status, std::string_view name) {
  if (status == 401) return OdooError::Kind::auth;
  if (status == 403) return OdooError::Kind::access;
  if (status == 404) return OdooError::Kind::missing;
  if (status == 422) return OdooError::Kind::validation;
  if (status == 429 || status >= 500) return OdooError::Kind::server;
  if (status >= 400 && name.starts_with("odoo.exceptions.")) return OdooError::Kind::validation;
  return OdooError::Kind::protocol;  // 400 malformed JSON, 415, anything unexpected
}

std::string fallback_message(int status, std::string_view content_type, std::string_view body) {
  if (status == 404) return "endpoint not found (wrong URL or database, or JSON-2 unavailable: it needs Odoo 19 or later)";
  if (status == 415) return "Odoo did not accept the request's content type";
  const auto title = html_title(body);
  if (!title.empty()) return "HTTP " + std::to_string(status) + ": " + clip(title, 200);
  if (content_type.find("html") != std::string_view::npos || body.empty()) return "HTTP " + std::to_string(status);
  return "HTTP " + std::to_string(status) + ": " + clip(printable(body), 200);
}

}  // namespace

OdooError::OdooError(Details details)
    : std::runtime_error(describe(details)),
      details_(std::move(details)),
      retryable_(details_.retryable.value_or(default_retryable(details_.kind))) {}

OdooError::OdooError(Kind kind, std::string message) : OdooError(Details{.kind = kind, .message = std::move(message)}) {}

std::string OdooError::admin_message() const {
  const auto& m = details_.message;
  switch (details_.kind) {
    case Kind::auth: return "Odoo API key invalid or expired";
    case Kind::access: return "The Odoo user is not allowed to do this: " + clip(m, 300);
    case Kind::validation: return "Odoo refused the request: " + clip(m, 300);
    case Kind::missing: return "Not found in Odoo: " + clip(m, 300);
    case Kind::server: return "Odoo server error: " + clip(m, 300);
    case Kind::transport: return "Cannot reach Odoo: " + clip(m, 300);
    case Kind::protocol: return "Unexpected answer from Odoo: " + clip(m, 300);
  }
  return clip(m, 300);
}

std::string_view to_string(OdooError::Kind kind) {
  switch (kind) {
    case OdooError::Kind::auth: return "auth";
    case OdooError::Kind::access: return "access";
    case OdooError::Kind::validation: return "validation";
    case OdooError::Kind::missing: return "missing";
    case OdooError::Kind::server: return "server";
    case OdooError::Kind::transport: return "transport";
    case OdooError::Kind::protocol: return "protocol";
  }
  return "unknown";
}

bool is_validation_like(std::string_view name) {
  if (name.starts_with("odoo.exceptions.")) return true;
  if (name.ends_with("Violation") || name.ends_with("IntegrityError")) return true;  // psycopg2 data errors
  if (name.starts_with("builtins.")) name.remove_prefix(9);
  static constexpr std::array<std::string_view, 9> kCallerMistakes = {
      "ValueError",     "KeyError",          "TypeError",           "AttributeError",     "IndexError",
      "AssertionError", "NotImplementedError", "UnicodeDecodeError", "UnicodeEncodeError"};
  for (auto n : kCallerMistakes) {
    if (name == n) return true;
  }
  return false;
}

bool is_cannot_marshal_none(std::int64_t fault_code, std::string_view fault_string) {
  return fault_code == 1 && contains(fault_string, "cannot marshal None");
}

OdooError error_from_json2(int http_status, std::string_view content_type, std::string_view body) {
  OdooError::Details d;
  d.http_status = http_status;
  if (content_type.find("json") != std::string_view::npos) {
    boost::system::error_code ec;
    const auto parsed = boost::json::parse(body, ec);
    if (!ec && parsed.is_object()) {
      const auto& obj = parsed.get_object();
      if (const auto* v = obj.if_contains("name"); v && v->is_string()) d.name = std::string(v->get_string());
      if (const auto* v = obj.if_contains("message"); v && v->is_string()) d.message = std::string(v->get_string());
      if (const auto* v = obj.if_contains("debug"); v && v->is_string()) d.debug = std::string(v->get_string());
    }
  }
  if (d.message.empty()) d.message = fallback_message(http_status, content_type, body);
  d.kind = kind_for_status(http_status, d.name);
  if (d.kind == OdooError::Kind::server && is_validation_like(d.name)) d.retryable = false;
  return OdooError(std::move(d));
}

OdooError error_from_fault(std::int64_t fault_code, std::string_view fault_string) {
  OdooError::Details d;
  d.fault_code = fault_code;
  d.message = std::string(trim_view(fault_string));
  switch (fault_code) {
    case 2: d.kind = looks_missing(d.message) ? OdooError::Kind::missing : OdooError::Kind::validation; break;
    case 3: d.kind = OdooError::Kind::auth; break;
    case 4: d.kind = OdooError::Kind::access; break;
    default: d.kind = OdooError::Kind::server; break;
  }
  if (d.kind != OdooError::Kind::server) return OdooError(std::move(d));

  std::string name, message;
  if (parse_traceback(fault_string, name, message)) {
    d.debug = std::string(fault_string);
    d.name = std::move(name);
    d.message = std::move(message);
  }
  if (looks_missing_database(d.message)) {
    d.kind = OdooError::Kind::missing;
  } else if (fault_code != 1 || is_validation_like(d.name)) {
    d.retryable = false;  // unknown fault codes are not Odoo's: do not hammer
  }
  return OdooError(std::move(d));
}

}  // namespace visor::odoo
