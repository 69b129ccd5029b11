#include "connectors/odoo/mapping.hpp"

#include <cmath>

#include <boost/json/serialize.hpp>

#include "util/time.hpp"

namespace visor::odoo {
namespace json = boost::json;

MappingError::MappingError(std::string model, std::int64_t record, std::string field, const std::string& problem)
    : std::runtime_error(model + " " + std::to_string(record) + ": field " + field + ": " + problem),
      model_(std::move(model)),
      record_(record),
      field_(std::move(field)) {}

namespace {

constexpr std::size_t kMaxQuoted = 80;

std::string quote(const json::value& v) {
  std::string s = json::serialize(v);
  if (s.size() > kMaxQuoted) s = s.substr(0, kMaxQuoted) + "…";
  return s;
}

// Reads the fields of one record of one model, throwing MappingError with
// the record's coordinates on any surprise.
class Reader {
 public:
  Reader(std::string_view model, const json::object& r) : model_(model), r_(r) {
    const json::value* id = r.if_contains("id");
    if (!id || !id->is_int64() || id->get_int64() <= 0) throw MappingError(model_, 0, "id", "missing or not an id");
    id_ = id->get_int64();
  }

  std::int64_t id() const { return id_; }

  [[noreturn]] void fail(std::string_view field, const std::string& problem) const {
    throw MappingError(model_, id_, std::string(field), problem);
  }

  const json::value& at(std::string_view field) const {
    const json::value* v = r_.if_contains(field);
    if (!v) fail(field, "missing from the answer");
    return *v;
  }

  bool is_false(const json::value& v) const { return v.is_bool() && !v.get_bool(); }

  std::string text(std::string_view field) const {
    const json::value& v = at(field);
    if (is_false(v) || v.is_null()) return {};
    if (!v.is_string()) fail(field, "expected text, got " + quote(v));
    return std::string(v.get_string());
  }

  std::string required_text(std::string_view field) const {
    std::string s = text(field);
    if (s.empty()) fail(field, "is empty but required");
    return s;
  }

  bool boolean(std::string_view field) const {
    const json::value& v = at(field);
    if (!v.is_bool()) fail(field, "expected a boolean, got " + quote(v));
    return v.get_bool();
  }

  std::int64_t integer(std::string_view field) const {
    const json::value& v = at(field);
    if (v.is_int64()) return v.get_int64();
    if (is_false(v)) return 0;
    fail(field, "expected an integer, got " + quote(v));
  }

  double number(std::string_view field) const {
    const json::value& v = at(field);
    if (v.is_double()) return v.get_double();
    if (v.is_int64()) return double(v.get_int64());
    if (is_false(v)) return 0;
    fail(field, "expected a number, got " + quote(v));
  }

  std::optional<OdooId> many2one(std::string_view field) const {
    const json::value& v = at(field);
    if (is_false(v) || v.is_null()) return std::nullopt;
    if (v.is_int64() && v.get_int64() > 0) return OdooId(v.get_int64());
    if (v.is_array()) {
      const auto& a = v.get_array();
      if (a.size() == 2 && a[0].is_int64() && a[0].get_int64() > 0) return OdooId(a[0].get_int64());
    }
    fail(field, "expected [id, name] or false, got " + quote(v));
  }

  std::optional<TimePoint> datetime(std::string_view field) const {
    const json::value& v = at(field);
    if (is_false(v) || v.is_null()) return std::nullopt;
    if (v.is_string()) {
      if (auto t = parse_odoo_datetime(v.get_string())) return t;
    }
    fail(field, "expected \"YYYY-MM-DD HH:MM:SS\" or false, got " + quote(v));
  }

  std::optional<Date> date(std::string_view field) const {
    const json::value& v = at(field);
    if (is_false(v) || v.is_null()) return std::nullopt;
    if (v.is_string()) {
      if (auto d = parse_date(v.get_string())) return d;
    }
    fail(field, "expected \"YYYY-MM-DD\" or false, got " + quote(v));
  }

  // A selection: false → `empty`, a known key → its value, anything else fails.
  template <class T, class Parse>
  T selection(std::string_view field, T empty, Parse parse) const {
    const json::value& v = at(field);
    if (is_false(v) || v.is_null()) return empty;
    if (v.is_string()) {
      if (std::optional<T> parsed = parse(std::string_view(v.get_string()))) return *parsed;
    }
    fail(field, "unknown selection value " + quote(v));
  }

 private:
  std::string model_;
  const json::object& r_;
  std::int64_t id_ = 0;
};

std::optional<Priority> parse_priority_key(std::string_view s) {
  if (s.size() == 1 && s[0] >= '0' && s[0] <= '3') return Priority(s[0] - '0');
  return std::nullopt;
}

Instructions read_instructions(const Reader& r, std::string_view base_url) {
  const auto kind = r.selection<InstructionKind>("instruction_type", InstructionKind::none, [](std::string_view s) {
    return s == "none" ? std::nullopt : parse_instruction_kind(s);
  });
  Instructions out;
  switch (kind) {
    case InstructionKind::none: break;
    case InstructionKind::text:
      out.text = r.text("instruction_text");
      if (!out.text.empty()) out.kind = InstructionKind::text;
      break;
    case InstructionKind::pdf:
      out.kind = InstructionKind::pdf;
      out.url = std::string(base_url) + "/web/content/maintenance.request/" + std::to_string(r.id()) +
                "/instruction_pdf";
      break;
    case InstructionKind::google_slide:
      out.url = r.text("instruction_google_slide");
      if (!out.url.empty()) out.kind = InstructionKind::google_slide;
      break;
  }
  return out;
}

Recurrence read_recurrence(const Reader& r) {
  Recurrence out;
  out.enabled = r.boolean("recurring_maintenance");
  out.interval = static_cast<int>(r.integer("repeat_interval"));
  if (out.interval < 1) {
    if (out.enabled) r.fail("repeat_interval", "must be at least 1");
    out.interval = 1;
  }
  out.unit = r.selection<RepeatUnit>("repeat_unit", RepeatUnit::week, parse_repeat_unit);
  out.type = r.selection<RepeatType>("repeat_type", RepeatType::forever, parse_repeat_type);
  out.until = r.date("repeat_until");
  return out;
}

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

// The end of a reference starting at `pos` ("VSR-T42-<hex>"), or npos.
std::size_t ref_end(std::string_view s, std::size_t pos) {
  std::size_t i = pos + 4;
  if (i >= s.size() || (s[i] != 'T' && s[i] != 'M')) return std::string_view::npos;
  ++i;
  const std::size_t digits = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  if (i == digits || i >= s.size() || s[i] != '-') return std::string_view::npos;
  ++i;
  const std::size_t hex = i;
  while (i < s.size() && is_hex(s[i])) ++i;
  if (i - hex < 16) return std::string_view::npos;
  return i;
}

}  // namespace

Stamp read_stamp(std::string_view model, const json::value& record) {
  if (!record.is_object()) throw MappingError(std::string(model), 0, "", "a record is not an object");
  const Reader r(model, record.get_object());
  return Stamp{r.id(), r.datetime("write_date")};
}

RemoteStage read_stage(const json::object& o) {
  const Reader r(kStageModel, o);
  return RemoteStage{OdooId(r.id()), r.required_text("name"), static_cast<int>(r.integer("sequence")),
                     r.boolean("done"), r.boolean("fold")};
}

RemoteTeam read_team(const json::object& o) {
  const Reader r(kTeamModel, o);
  return RemoteTeam{OdooId(r.id()), r.required_text("name")};
}

RemoteCategory read_category(const json::object& o) {
  const Reader r(kCategoryModel, o);
  return RemoteCategory{OdooId(r.id()), r.required_text("name"), r.many2one("technician_user_id")};
}

RemoteUser read_user(const json::object& o) {
  const Reader r(kUserModel, o);
  return RemoteUser{OdooId(r.id()), r.required_text("login"), r.required_text("name"), r.text("email"),
                    r.boolean("active")};
}

RemoteEquipment read_equipment(const json::object& o) {
  const Reader r(kEquipmentModel, o);
  RemoteEquipment e;
  e.id = OdooId(r.id());
  e.name = r.required_text("name");
  e.serial_no = r.text("serial_no");
  e.model = r.text("model");
  e.category = r.many2one("category_id");
  e.technician = r.many2one("technician_user_id");
  e.team = r.many2one("maintenance_team_id");
  e.note = r.text("note");
  e.active = r.boolean("active");
  if (o.contains("location")) e.location = r.text("location");
  return e;
}

Priority read_priority(const json::value& v, std::int64_t record) {
  json::object o{{"id", record}, {"priority", v}};
  const Reader r(kRequestModel, o);
  return r.selection<Priority>("priority", 0, parse_priority_key);
}

RemoteRequest read_request(const json::object& o, std::string_view base_url, const Dialect& dialect) {
  const Reader r(kRequestModel, o);
  RemoteRequest q;
  q.id = OdooId(r.id());
  q.title = r.required_text("name");
  std::tie(q.description, q.visor_ref) = split_visor_ref(r.text("description"));
  q.request_date = r.date("request_date");
  q.close_date = r.date("close_date");
  q.schedule_start = r.datetime("schedule_date");
  if (dialect.has_schedule_end()) {
    q.schedule_end = r.datetime("schedule_end");
  } else if (q.schedule_start) {
    // Up to 18 the length is `duration`, in hours (0: none given).
    const double hours = r.number("duration");
    if (hours < 0 || hours > 24.0 * 366) r.fail("duration", "out of range");
    if (hours > 0) q.schedule_end = *q.schedule_start + std::chrono::seconds(std::llround(hours * 3600));
  }
  q.priority = r.selection<Priority>("priority", 0, parse_priority_key);
  q.stage = r.many2one("stage_id");
  if (!q.stage) r.fail("stage_id", "a request without a stage");
  q.user = r.many2one("user_id");
  q.equipment = r.many2one("equipment_id");
  q.team = r.many2one("maintenance_team_id");
  q.type = r.selection<MaintenanceType>("maintenance_type", MaintenanceType::corrective, parse_maintenance_type);
  q.archived = r.boolean("archive");
  if (dialect.has_instructions()) q.instructions = read_instructions(r, base_url);
  if (dialect.has_recurrence()) q.recurrence = read_recurrence(r);
  return q;
}

json::value datetime_value(const std::optional<TimePoint>& t) {
  if (!t) return json::value(false);
  return json::value(format_odoo_datetime(*t));
}

json::value date_value(const std::optional<Date>& d) {
  if (!d) return json::value(false);
  return json::value(format_date(*d));
}

json::value priority_value(Priority p) {
  if (p < kMinPriority || p > kMaxPriority) throw std::invalid_argument("priority out of range");
  return json::value(std::string(1, static_cast<char>('0' + p)));
}

json::value text_value(const std::string& s) {
  if (s.empty()) return json::value(false);
  return json::value(s);
}

std::string make_visor_ref(char kind, std::int64_t id, std::string_view idempotency_key) {
  return "VSR-" + std::string(1, kind) + std::to_string(id) + "-" + std::string(idempotency_key);
}

std::string visor_ref_paragraph(std::string_view ref) { return "<p>Visor ref: " + std::string(ref) + "</p>"; }

std::pair<std::string, std::string> split_visor_ref(std::string_view html) {
  const std::size_t pos = html.find("VSR-");
  if (pos == std::string_view::npos) return {std::string(html), {}};
  const std::size_t end = ref_end(html, pos);
  if (end == std::string_view::npos) return {std::string(html), {}};
  std::string ref(html.substr(pos, end - pos));
  // Drop the paragraph Visor wrote, as it wrote it; anything else stays.
  const std::string para = visor_ref_paragraph(ref);
  const std::size_t p = html.find(para);
  if (p == std::string_view::npos) return {std::string(html), std::move(ref)};
  std::string rest(html.substr(0, p));
  rest.append(html.substr(p + para.size()));
  return {std::move(rest), std::move(ref)};
}

}  // namespace visor::odoo
