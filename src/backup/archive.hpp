#pragma once
// Where a backup's bytes go and come from, behind a small interface.
//
// A backup is a set of named entries (the database, media files, a
// manifest, optionally the key). The plain form, here, is a directory with
// one file per entry, written under "<dir>.partial" and renamed into place by
// commit(), so a backup that exists is a complete one. An encrypting archive
// (issue 15: libsodium secretstream) implements the same two interfaces,
// wrapping each entry's bytes; the backup and restore logic above them
// (backup.hpp: checksums over the plain bytes, the manifest, verification)
// does not change.
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace visor::backup {

/// One entry being written. close() completes it (written and synced); an
/// entry that is not closed is not part of the backup.
class EntryWriter {
 public:
  virtual ~EntryWriter() = default;
  virtual void write(std::string_view bytes) = 0;
  virtual void close() = 0;
};

class ArchiveWriter {
 public:
  virtual ~ArchiveWriter() = default;
  /// A new entry. `name` is relative, '/'-separated, of [A-Za-z0-9._-]
  /// segments (valid_entry_name); Error(invalid_input) otherwise.
  virtual std::unique_ptr<EntryWriter> create(const std::string& name) = 0;
  /// Makes the backup complete and visible. Until then it is not one.
  virtual void commit() = 0;
  /// What protects the entries, recorded in the manifest: "none" here.
  virtual std::string encryption() const = 0;
};

/// One entry being read: read() returns 0 at the end.
class EntryReader {
 public:
  virtual ~EntryReader() = default;
  virtual std::size_t read(char* buffer, std::size_t size) = 0;
};

class ArchiveReader {
 public:
  virtual ~ArchiveReader() = default;
  /// Error(not_found) when there is no such entry; Error(invalid_input) for
  /// a name that is not valid_entry_name (a manifest cannot make a restore
  /// read or write outside its folders).
  virtual std::unique_ptr<EntryReader> open(const std::string& name) = 0;
  /// Every entry present, sorted.
  virtual std::vector<std::string> names() = 0;
  virtual std::string encryption() const = 0;
};

/// Relative, no "..", no empty segment, only [A-Za-z0-9._-] per segment.
bool valid_entry_name(std::string_view name);

/// A directory archive at `dir`, which must not exist (nor dir.partial).
std::unique_ptr<ArchiveWriter> directory_writer(const std::filesystem::path& dir);
/// Reads a directory archive.
std::unique_ptr<ArchiveReader> directory_reader(const std::filesystem::path& dir);

}  // namespace visor::backup
