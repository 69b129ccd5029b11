#pragma once
// The versioned schema migrations, embedded into the binary at build time
// from src/storage/migrations/NNNN_name.<backend>.sql (see embed.cmake).
// Both backends carry the same versions and names: one schema shape.
#include <span>
#include <string_view>

namespace visor::storage {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;  // one or more statements
};

enum class MigrationSet { sqlite, postgres };

/// The migrations of one backend, in ascending version order.
std::span<const Migration> migrations(MigrationSet set);

}  // namespace visor::storage
