#include "connectors/odoo/chatter_table.hpp"

#include <array>

#include "util/html.hpp"

namespace visor::odoo {
namespace json = boost::json;

namespace {

std::string text(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::int64_t number(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_int64() ? v->get_int64() : 0;
}

bool flag_of(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_bool() && v->get_bool();
}

std::string duration_text(std::int64_t seconds) {
  return std::to_string(seconds / 3600) + " h " + std::to_string((seconds % 3600) / 60) + " min";
}

std::string type_words(const std::string& kind) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kTypes{{{"instruction", "Step"},
                                                                                        {"check", "Check"},
                                                                                        {"number", "Number"},
                                                                                        {"choice", "Choice"},
                                                                                        {"text", "Text"},
                                                                                        {"photo", "Photo"}}};
  for (const auto& [k, words] : kTypes)
    if (k == kind) return std::string(words);
  return "Step";
}

// The answer column: what the technician recorded.
std::string result_cell(const json::object& s) {
  const std::string kind = text(s, "kind");
  const std::string value = text(s, "value");
  const std::string unit = text(s, "unit");
  std::string out;
  if (kind == "check") {
    out = value.empty() ? "—" : check_words(value);
  } else if (kind == "photo") {
    const auto n = number(s, "photos");
    out = n == 0 ? "no photo" : n == 1 ? "1 photo" : std::to_string(n) + " photos";
  } else if (!value.empty()) {
    out = escape_html(value) + (unit.empty() || value.find(unit) != std::string::npos ? "" : " " + escape_html(unit));
    if (!text(s, "expected").empty()) out += " (expected " + escape_html(text(s, "expected")) + ")";
  } else {
    out = flag_of(s, "done") ? "done" : "not done";
  }
  return out;
}

std::string comment_cell(const json::object& s) {
  std::string out = escape_html(text(s, "note"));
  if (const auto cmms = number(s, "follow_up_cmms_id")) {
    out += std::string(out.empty() ? "" : "<br/>") + "Follow-up: request #" + std::to_string(cmms);
  } else if (const auto local = number(s, "follow_up_id")) {
    out += std::string(out.empty() ? "" : "<br/>") + "Follow-up: Visor task #" + std::to_string(local);
  }
  return out;
}

}  // namespace

std::string check_words(const std::string& value) {
  if (value == "pass") return "PASS";
  if (value == "flag") return "FLAG";
  if (value == "fail") return "FAIL";
  return escape_html(value);
}

std::string flag_words(const std::string& flag) {
  if (flag == "flag") return "FLAG";
  if (flag == "fail") return "FAIL";
  if (flag == "out_of_range") return "Out of range";
  return "";
}

std::string completion_html(const json::object& p, const std::string& who) {
  std::string html = "<p><b>Completed in Visor</b> by " + who +
                     ". Time on tool: " + duration_text(number(p, "time_on_tool_seconds")) + ".</p>";
  const json::value* steps = p.if_contains("steps");
  if (steps && steps->is_array() && !steps->get_array().empty()) {
    html += "<table class=\"table table-sm table-bordered\"><thead><tr><th>#</th><th>Step</th><th>Type</th>"
            "<th>Result</th><th>Flag</th><th>Comment</th></tr></thead><tbody>";
    for (const auto& item : steps->get_array()) {
      if (!item.is_object()) continue;
      const auto& s = item.get_object();
      const std::string flag = flag_words(text(s, "flag"));
      html += "<tr><td>" + std::to_string(number(s, "number")) + "</td><td>" + escape_html(text(s, "text")) +
              "</td><td>" + type_words(text(s, "kind")) + "</td><td>" + result_cell(s) + "</td><td>" +
              (flag.empty() ? "" : "<b>" + flag + "</b>") + "</td><td>" + comment_cell(s) + "</td></tr>";
    }
    html += "</tbody></table>";
  }
  const json::value* codes = p.if_contains("codes");
  if (codes && codes->is_array() && !codes->get_array().empty()) {
    html += "<p><b>Failure codes</b>: ";
    bool first = true;
    for (const auto& item : codes->get_array()) {
      if (!item.is_object()) continue;
      const auto& c = item.get_object();
      html += std::string(first ? "" : "; ") + escape_html(text(c, "kind")) + " " + escape_html(text(c, "code")) +
              " (" + escape_html(text(c, "label")) + ")";
      first = false;
    }
    html += ".</p>";
  }
  if (!text(p, "signature").empty()) {
    html += "<p><b>Signed off</b> by " + who + ": \xE2\x80\x9C" + escape_html(text(p, "signature")) + "\xE2\x80\x9D.";
    if (flag_of(p, "approval_required")) html += " Awaiting a supervisor's approval in Visor.";
    html += "</p>";
  }
  return html;
}

}  // namespace visor::odoo
