#pragma once
// The encrypted form of a stored file (photos, and any other kind of file the
// media store keeps): libsodium's secretstream (XChaCha20-Poly1305) over
// fixed-size chunks, each chunk a one-message stream of its own so that any
// chunk decrypts alone — a range request reads only the chunks it needs.
// Decision 0019.
//
//   header (40 bytes): "VISORMF1" | u32 key generation | u32 chunk size |
//                      u64 plain size | 16 random bytes (the file's id)
//   chunk i:           secretstream header (24) | ciphertext (plain + 17)
//
// All integers little-endian. Chunk i's associated data is the whole header
// and i as a u64; its tag is FINAL for the last chunk and MESSAGE for the
// others. So an altered header, a chunk moved to another place or into
// another file, a file cut short or extended: each fails the size check when
// the file is opened, or fails to decrypt. An empty file is one empty FINAL
// chunk. The size is known before the first chunk is written (a photo is
// whole in memory when it is stored; a document's length is known too).
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "auth/secret_box.hpp"

namespace visor::media {

inline constexpr std::string_view kSealedMagic = "VISORMF1";
inline constexpr std::size_t kSealedHeaderBytes = 40;
/// Per-chunk overhead: the secretstream header and its MAC + tag.
inline constexpr std::size_t kChunkOverhead = 24 + 17;
inline constexpr std::uint32_t kDefaultChunkBytes = 64 * 1024;
inline constexpr std::uint32_t kMinChunkBytes = 4 * 1024;
inline constexpr std::uint32_t kMaxChunkBytes = 1024 * 1024;

/// True when `prefix` (the first bytes of a file) starts like a sealed file.
bool looks_sealed(std::string_view prefix);

/// Where things are in a sealed file of `plain_size` bytes cut in chunks of
/// `chunk_size`.
struct SealedLayout {
  std::uint32_t chunk_size = kDefaultChunkBytes;
  std::uint64_t plain_size = 0;

  std::uint64_t chunks() const { return plain_size == 0 ? 1 : (plain_size + chunk_size - 1) / chunk_size; }
  std::uint64_t sealed_size() const { return kSealedHeaderBytes + chunks() * kChunkOverhead + plain_size; }
  std::uint64_t chunk_offset(std::uint64_t i) const {
    return kSealedHeaderBytes + i * (std::uint64_t(chunk_size) + kChunkOverhead);
  }
  std::size_t chunk_plain_size(std::uint64_t i) const;
};

/// The header's fields.
struct SealedHeader {
  std::uint32_t key_generation = 0;
  std::uint32_t chunk_size = kDefaultChunkBytes;
  std::string file_id;  // 16 bytes
  std::uint64_t plain_size = 0;

  std::string encode() const;
  /// Error(internal) naming what is wrong when `bytes` is not a header.
  static SealedHeader decode(std::string_view bytes);
  /// The associated data of chunk `index`.
  std::string associated_data(std::uint64_t index) const;
};

/// Encrypts one chunk (`plain` at most the chunk size; `last` marks the
/// final one) and appends header + ciphertext to `out`.
void seal_chunk(const auth::KeyBytes& key, const SealedHeader& header, std::uint64_t index, bool last,
                std::string_view plain, std::string& out);

/// Decrypts one chunk as read from the file; false when it does not
/// authenticate (altered, misplaced, or under another key) or its tag says
/// otherwise of `last`. On success `out` holds the plain bytes.
bool open_chunk(const auth::KeyBytes& key, const SealedHeader& header, std::uint64_t index, bool last,
                std::string_view sealed, std::string& out);

/// Writes a sealed file of a known size incrementally: bytes go in as they
/// come and leave encrypted a chunk at a time, so memory holds one chunk
/// whatever the size. `sink` receives the file's bytes in order, the header
/// first.
class SealedWriter {
 public:
  using Sink = std::function<void(std::string_view bytes)>;
  SealedWriter(const auth::KeyBytes& key, std::uint32_t key_generation, std::uint64_t plain_size, Sink sink,
               std::uint32_t chunk_size = kDefaultChunkBytes);
  /// Error(invalid_input) past the announced size.
  void write(std::string_view bytes);
  /// Seals the last chunk. Error(invalid_input) when fewer bytes than
  /// announced were written.
  void finish();

 private:
  void flush(bool last);

  const auth::KeyBytes& key_;
  SealedHeader header_;
  Sink sink_;
  std::string pending_;  // plain bytes of the chunk being filled
  std::string sealed_;   // reused output buffer
  std::uint64_t index_ = 0;
  std::uint64_t written_ = 0;
  bool finished_ = false;
};

}  // namespace visor::media
