#pragma once
// Work on the media folder as a whole: what it holds (encrypted, plain,
// unfinished), encrypting the files stored before encryption existed
// (`visor migrate`), and removing what uploads cut short by a crash left.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "media/store.hpp"

namespace visor::media {

struct Census {
  std::uint64_t sealed = 0;  // encrypted files
  std::uint64_t plain = 0;   // files stored before encryption
  std::uint64_t bytes = 0;   // on disk, both kinds
  std::vector<std::string> plain_names;  // the first few, for messages
};

/// Reads the first bytes of every file under `dir` (unfinished uploads
/// aside). An absent folder is an empty one.
Census take_census(const std::filesystem::path& dir);

struct EncryptReport {
  std::uint64_t encrypted = 0;
  std::uint64_t already = 0;  // were encrypted before
  /// Files left as they were, with the reason (e.g. their bytes do not
  /// match the content hash in their name).
  std::vector<std::string> problems;
};

/// Encrypts every plain file under `dir` in place through `store` (which
/// must write into `dir`): each is streamed into a sealed temporary, synced
/// and renamed over the plain one, so a crash leaves either. A file named by
/// its content (ab/<sha256>.<ext>) is checked against that hash first; one
/// that does not match is left as is and reported. Safe to run while Visor
/// serves, and again after an interruption.
EncryptReport encrypt_plain_files(const std::filesystem::path& dir, MediaStore& store);

/// Removes what uploads cut short by a crash left behind: `*.tmp<pid>` files
/// under `dir` whose process is gone (or that are older than an hour,
/// should the pid have been reused). Returns how many were removed. Call at
/// start.
int remove_orphan_temporaries(const std::filesystem::path& dir);

}  // namespace visor::media
