#pragma once
// The media store: where Visor keeps files — photos taken on the floor today,
// documents pulled from the CMMS tomorrow — behind one interface, so that
// every kind of file gets the same protection at rest. The implementation in
// file_store.hpp encrypts (sealed_file.hpp); tests may use any other.
//
// Names are relative paths of [A-Za-z0-9._-] segments ("ab/ab12….jpg");
// content-addressed kinds use content_name(). Readers read at any offset
// (range requests) and verify what they return: a reader never hands out a
// byte that failed verification.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "util/error.hpp"

namespace visor::media {

/// Stored bytes that failed verification (altered, damaged, cut short, or a
/// plain file where only encrypted ones are accepted). The detail is for the
/// client; the internal message names the file and the cause. Like a file
/// missing from the folder, it is `unavailable` (503): the server is sound,
/// the stored copy is not, and restoring it from a backup fixes it.
class IntegrityError : public Error {
 public:
  explicit IntegrityError(std::string internal)
      : Error(ErrorCode::unavailable,
              "The stored file failed its integrity check: it was altered or damaged on disk, so it is not served. "
              "Restore it from a backup.",
              std::move(internal)) {}
};

/// One stored file, open for reading.
class MediaReader {
 public:
  virtual ~MediaReader() = default;
  /// The file's size in plain bytes.
  virtual std::uint64_t size() const = 0;
  /// Appends to `out` up to `max` bytes starting at `offset` (fewer at a
  /// chunk's end; 0 only at or past the end) and returns how many. Throws
  /// IntegrityError when the bytes there fail verification (nothing of them
  /// is appended), Error(unavailable) when the disk fails.
  virtual std::size_t read(std::uint64_t offset, std::size_t max, std::string& out) = 0;
};

/// One file being written. Nothing is visible under its name before
/// commit(); a writer destroyed uncommitted leaves nothing behind.
class MediaWriter {
 public:
  virtual ~MediaWriter() = default;
  /// Error(invalid_input) past the size given to create().
  virtual void write(std::string_view bytes) = 0;
  /// Makes the file durable and visible (replacing any file of that name).
  virtual void commit() = 0;
};

class MediaStore {
 public:
  virtual ~MediaStore() = default;
  /// A new file of exactly `size` bytes. Error(invalid_input) for an
  /// invalid name; Error(unavailable) when the store cannot write (disk, or
  /// no media key).
  virtual std::unique_ptr<MediaWriter> create(const std::string& name, std::uint64_t size) = 0;
  /// Error(not_found) when there is no such file; IntegrityError when it
  /// cannot be verified (e.g. its header is damaged).
  virtual std::unique_ptr<MediaReader> open(const std::string& name) = 0;
  virtual bool exists(const std::string& name) = 0;
  /// What protects the files at rest, as doctor and backups report it:
  /// "xchacha20poly1305-secretstream" or "none".
  virtual std::string_view protection() const = 0;
};

/// "ab/<sha>.<ext>": where a content-addressed file lives.
std::string content_name(std::string_view sha256_hex, std::string_view extension);

/// Relative, '/'-separated segments of [A-Za-z0-9._-], none empty, "." or
/// "..", at most 512 characters.
bool valid_name(std::string_view name);

/// Writes `bytes` as the whole file `name`.
void store_bytes(MediaStore& store, const std::string& name, std::string_view bytes);
/// Reads the whole file `name` (tests and small files only).
std::string load_bytes(MediaStore& store, const std::string& name);

}  // namespace visor::media
