#pragma once
// A backup's manifest (entry "manifest.json", written last): what the backup
// holds, from which Visor and schema, and the size and SHA-256 of every
// other entry's plain bytes. Restore checks every entry against it before
// it writes anything.
#include <cstdint>
#include <string>
#include <vector>

#include "util/time.hpp"

namespace visor::backup {

inline constexpr std::string_view kManifestName = "manifest.json";
inline constexpr std::string_view kSqliteEntry = "database.sqlite";
inline constexpr std::string_view kPostgresEntry = "database.pgdump";
inline constexpr std::string_view kKeyEntry = "secret.key";
inline constexpr std::string_view kMediaPrefix = "media/";

struct ManifestEntry {
  std::string name;
  std::uint64_t size = 0;
  std::string sha256;  // lowercase hex of the plain bytes
};

struct Manifest {
  static constexpr int kVersion = 1;
  int version = kVersion;
  TimePoint created_at{};
  std::string visor_version;
  std::string backend;  // "sqlite" or "postgresql"
  int schema_version = 0;
  std::string encryption = "none";
  bool includes_key = false;
  std::vector<ManifestEntry> entries;

  const ManifestEntry* find(std::string_view name) const;
};

std::string to_json(const Manifest& m);
/// Error(invalid_input) naming what is wrong (not a Visor backup, a newer
/// format, a malformed field, an invalid entry name).
Manifest parse_manifest(std::string_view json);

}  // namespace visor::backup
