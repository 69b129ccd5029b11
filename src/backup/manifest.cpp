#include "backup/manifest.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "backup/archive.hpp"
#include "util/error.hpp"

namespace visor::backup {
namespace json = boost::json;

namespace {

constexpr std::string_view kFormat = "visor-backup";

[[noreturn]] void bad(const std::string& what) { invalid("The backup's manifest is not valid: " + what + "."); }

const json::value& field(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v) bad("'" + std::string(key) + "' is missing");
  return *v;
}

std::string text(const json::object& o, std::string_view key) {
  const json::value& v = field(o, key);
  if (!v.is_string()) bad("'" + std::string(key) + "' is not text");
  return std::string(v.get_string());
}

std::int64_t number(const json::object& o, std::string_view key) {
  const json::value& v = field(o, key);
  if (!v.is_int64() && !v.is_uint64()) bad("'" + std::string(key) + "' is not a whole number");
  const std::int64_t n = v.is_int64() ? v.get_int64() : std::int64_t(v.get_uint64());
  if (n < 0) bad("'" + std::string(key) + "' is negative");
  return n;
}

bool is_hex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace

const ManifestEntry* Manifest::find(std::string_view name) const {
  for (const auto& e : entries)
    if (e.name == name) return &e;
  return nullptr;
}

std::string to_json(const Manifest& m) {
  json::array entries;
  for (const auto& e : m.entries)
    entries.push_back(json::object{{"name", e.name}, {"size", e.size}, {"sha256", e.sha256}});
  return json::serialize(json::object{{"format", kFormat},
                                      {"version", m.version},
                                      {"created_at", format_iso8601(m.created_at)},
                                      {"visor_version", m.visor_version},
                                      {"backend", m.backend},
                                      {"schema_version", m.schema_version},
                                      {"encryption", m.encryption},
                                      {"includes_key", m.includes_key},
                                      {"entries", std::move(entries)}}) +
         "\n";
}

Manifest parse_manifest(std::string_view text_json) {
  boost::system::error_code ec;
  const json::value doc = json::parse(text_json, ec);
  if (ec || !doc.is_object()) invalid("The backup's manifest is not JSON: this is not a Visor backup.");
  const json::object& o = doc.get_object();
  if (text(o, "format") != kFormat) invalid("This is not a Visor backup (format is not visor-backup).");
  Manifest m;
  m.version = int(number(o, "version"));
  if (m.version > Manifest::kVersion)
    invalid("The backup has format version " + std::to_string(m.version) + "; this Visor reads up to " +
            std::to_string(Manifest::kVersion) + ". Restore it with a newer Visor.");
  const auto created = parse_iso8601(text(o, "created_at"));
  if (!created) bad("'created_at' is not a date-time");
  m.created_at = *created;
  m.visor_version = text(o, "visor_version");
  m.backend = text(o, "backend");
  if (m.backend != "sqlite" && m.backend != "postgresql") bad("'backend' is neither sqlite nor postgresql");
  m.schema_version = int(number(o, "schema_version"));
  m.encryption = text(o, "encryption");
  const json::value& key = field(o, "includes_key");
  if (!key.is_bool()) bad("'includes_key' is not true or false");
  m.includes_key = key.get_bool();
  const json::value& entries = field(o, "entries");
  if (!entries.is_array()) bad("'entries' is not a list");
  for (const json::value& v : entries.get_array()) {
    if (!v.is_object()) bad("an entry is not an object");
    ManifestEntry e;
    e.name = text(v.get_object(), "name");
    e.size = std::uint64_t(number(v.get_object(), "size"));
    e.sha256 = text(v.get_object(), "sha256");
    if (!valid_entry_name(e.name) || e.name == kManifestName) bad("the entry name '" + e.name.substr(0, 80) + "' is not allowed");
    if (!is_hex64(e.sha256)) bad("the checksum of " + e.name + " is not a SHA-256");
    if (m.find(e.name)) bad(e.name + " is listed twice");
    m.entries.push_back(std::move(e));
  }
  return m;
}

}  // namespace visor::backup
