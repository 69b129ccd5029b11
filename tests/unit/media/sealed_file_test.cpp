// The sealed file format on its own: what goes in comes out, chunk by
// chunk and from any chunk; anything altered, moved or cut does not.
#include "media/sealed_file.hpp"

#include <gtest/gtest.h>

#include "fixture.hpp"
#include "util/error.hpp"

namespace visor::media {
namespace {

using testing::random_bytes;
using testing::random_key;

struct Sealed {
  SealedHeader header;
  std::string file;
};

Sealed seal(const auth::KeyBytes& key, std::string_view plain, std::uint32_t chunk = kMinChunkBytes) {
  Sealed out;
  SealedWriter w(key, 3, plain.size(), [&](std::string_view b) { out.file += b; }, chunk);
  // Fed in odd pieces: the writer cuts chunks itself.
  for (std::size_t at = 0; at < plain.size(); at += 1000) w.write(plain.substr(at, 1000));
  w.finish();
  out.header = SealedHeader::decode(out.file);
  return out;
}

// Decrypts chunk i straight from the file bytes.
std::optional<std::string> chunk(const auth::KeyBytes& key, const Sealed& s, std::uint64_t i) {
  const SealedLayout layout{s.header.chunk_size, s.header.plain_size};
  const std::string_view sealed = std::string_view(s.file).substr(
      std::size_t(layout.chunk_offset(i)), layout.chunk_plain_size(i) + kChunkOverhead);
  std::string plain;
  if (!open_chunk(key, s.header, i, i + 1 == layout.chunks(), sealed, plain)) return std::nullopt;
  return plain;
}

TEST(SealedFile, RoundTripsEverySizeAroundTheChunkBoundaries) {
  const auto key = random_key();
  for (std::size_t size : {0, 1, 4095, 4096, 4097, 8192, 3 * 4096 + 17}) {
    const std::string plain = random_bytes(size);
    const Sealed s = seal(key, plain);
    const SealedLayout layout{s.header.chunk_size, s.header.plain_size};
    EXPECT_EQ(s.file.size(), layout.sealed_size()) << size;
    EXPECT_EQ(s.header.plain_size, size);
    EXPECT_EQ(s.header.key_generation, 3u);
    std::string back;
    for (std::uint64_t i = 0; i < layout.chunks(); ++i) {
      const auto part = chunk(key, s, i);
      ASSERT_TRUE(part) << "size " << size << " chunk " << i;
      back += *part;
    }
    EXPECT_EQ(back, plain) << size;
    // The plain bytes appear nowhere in the file.
    if (size >= 16) EXPECT_EQ(s.file.find(plain.substr(0, 16)), std::string::npos);
  }
}

TEST(SealedFile, AnyChunkDecryptsAlone) {
  const auto key = random_key();
  const std::string plain = random_bytes(5 * 4096 + 100);
  const Sealed s = seal(key, plain);
  // Chunk 3 without reading 0..2 (what a range request does).
  EXPECT_EQ(*chunk(key, s, 3), plain.substr(3 * 4096, 4096));
  EXPECT_EQ(*chunk(key, s, 5), plain.substr(5 * 4096));
}

TEST(SealedFile, EveryAlteredByteIsRefused) {
  const auto key = random_key();
  const std::string plain = random_bytes(2 * 4096 + 10);
  const Sealed s = seal(key, plain);
  const SealedLayout layout{s.header.chunk_size, s.header.plain_size};
  // One flipped bit anywhere past the header: the chunk holding it fails.
  for (std::size_t at = kSealedHeaderBytes; at < s.file.size(); at += 97) {
    Sealed bad = s;
    bad.file[at] = char(bad.file[at] ^ 0x01);
    bool refused = false;
    for (std::uint64_t i = 0; i < layout.chunks(); ++i) refused = refused || !chunk(key, bad, i);
    EXPECT_TRUE(refused) << "a flipped bit at " << at << " went unnoticed";
  }
  // An altered header (the file id, the generation): every chunk fails.
  for (std::size_t at : {9, 30}) {
    Sealed bad = s;
    bad.file[at] = char(bad.file[at] ^ 0x01);
    bad.header = SealedHeader::decode(bad.file);
    EXPECT_FALSE(chunk(key, bad, 0)) << at;
  }
}

TEST(SealedFile, ChunksCannotMoveOrBeCutOrComeFromAnotherFileOrKey) {
  const auto key = random_key();
  const std::string plain = random_bytes(3 * 4096);
  const Sealed s = seal(key, plain);
  const SealedLayout layout{s.header.chunk_size, s.header.plain_size};
  const std::size_t stride = 4096 + kChunkOverhead;
  // Chunks 0 and 1 swapped.
  Sealed swapped = s;
  const std::size_t c0 = std::size_t(layout.chunk_offset(0)), c1 = std::size_t(layout.chunk_offset(1));
  std::swap_ranges(swapped.file.begin() + long(c0), swapped.file.begin() + long(c0 + stride),
                   swapped.file.begin() + long(c1));
  EXPECT_FALSE(chunk(key, swapped, 0));
  EXPECT_FALSE(chunk(key, swapped, 1));
  // Cut after chunk 1 with the size made to match: chunk 1 is not FINAL.
  Sealed cut = s;
  cut.header.plain_size = 2 * 4096;
  cut.file = cut.header.encode() + s.file.substr(kSealedHeaderBytes, 2 * stride);
  EXPECT_FALSE(chunk(key, cut, 1)) << "a file cut at a chunk boundary passed";
  // The same photo sealed again (another file id): its chunk does not fit here.
  const Sealed other = seal(key, plain);
  Sealed spliced = s;
  spliced.file.replace(c1, stride, other.file.substr(c1, stride));
  EXPECT_FALSE(chunk(key, spliced, 1));
  // Another key.
  EXPECT_FALSE(chunk(random_key(), s, 0));
}

TEST(SealedFile, WriterHoldsToTheAnnouncedSize) {
  const auto key = random_key();
  std::string sink;
  SealedWriter w(key, 1, 10, [&](std::string_view b) { sink += b; });
  w.write("12345");
  EXPECT_THROW(w.write("1234567"), Error);
  EXPECT_THROW(w.finish(), Error);  // 5 of 10
  EXPECT_THROW(SealedHeader::decode("not a sealed file at all, not at all"), Error);
  EXPECT_FALSE(looks_sealed("\xff\xd8\xff\xe0 JPEG"));
}

}  // namespace
}  // namespace visor::media
