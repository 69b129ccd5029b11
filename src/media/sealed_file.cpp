#include "media/sealed_file.hpp"

#include <sodium.h>

#include "util/error.hpp"

namespace visor::media {
namespace {

static_assert(crypto_secretstream_xchacha20poly1305_HEADERBYTES + crypto_secretstream_xchacha20poly1305_ABYTES ==
              kChunkOverhead);
static_assert(auth::KeyBytes::kSize == crypto_secretstream_xchacha20poly1305_KEYBYTES);

constexpr std::size_t kFileIdBytes = 16;

void put_le(std::string& out, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(char((v >> (8 * i)) & 0xff));
}

std::uint64_t get_le(std::string_view in, std::size_t at, int bytes) {
  std::uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(in[at + std::size_t(i)]);
  return v;
}

const unsigned char* u8(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

bool looks_sealed(std::string_view prefix) { return prefix.starts_with(kSealedMagic); }

std::size_t SealedLayout::chunk_plain_size(std::uint64_t i) const {
  if (i + 1 < chunks()) return chunk_size;
  return std::size_t(plain_size - (chunks() - 1) * std::uint64_t(chunk_size));
}

std::string SealedHeader::encode() const {
  std::string out(kSealedMagic);
  put_le(out, key_generation, 4);
  put_le(out, chunk_size, 4);
  put_le(out, plain_size, 8);
  out += file_id;
  return out;
}

SealedHeader SealedHeader::decode(std::string_view bytes) {
  if (bytes.size() < kSealedHeaderBytes || !looks_sealed(bytes))
    fail(ErrorCode::internal, "The stored file is not an encrypted Visor file.");
  SealedHeader h;
  h.key_generation = std::uint32_t(get_le(bytes, 8, 4));
  h.chunk_size = std::uint32_t(get_le(bytes, 12, 4));
  h.plain_size = get_le(bytes, 16, 8);
  h.file_id = std::string(bytes.substr(24, kFileIdBytes));
  if (h.chunk_size < kMinChunkBytes || h.chunk_size > kMaxChunkBytes)
    fail(ErrorCode::internal, "The stored file's header is damaged (chunk size " + std::to_string(h.chunk_size) + ").");
  // Bounded so that the layout's arithmetic cannot overflow.
  if (h.plain_size > (std::uint64_t(1) << 50))
    fail(ErrorCode::internal, "The stored file's header is damaged (size).");
  return h;
}

std::string SealedHeader::associated_data(std::uint64_t index) const {
  std::string ad = encode();
  put_le(ad, index, 8);
  return ad;
}

void seal_chunk(const auth::KeyBytes& key, const SealedHeader& header, std::uint64_t index, bool last,
                std::string_view plain, std::string& out) {
  crypto_secretstream_xchacha20poly1305_state state;
  const std::size_t at = out.size();
  out.resize(at + kChunkOverhead + plain.size());
  auto* dst = reinterpret_cast<unsigned char*>(out.data() + at);
  crypto_secretstream_xchacha20poly1305_init_push(&state, dst, key.data());
  const std::string ad = header.associated_data(index);
  const unsigned char tag =
      last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
  crypto_secretstream_xchacha20poly1305_push(&state, dst + crypto_secretstream_xchacha20poly1305_HEADERBYTES, nullptr,
                                             u8(plain), plain.size(), u8(ad), ad.size(), tag);
  sodium_memzero(&state, sizeof state);
}

bool open_chunk(const auth::KeyBytes& key, const SealedHeader& header, std::uint64_t index, bool last,
                std::string_view sealed, std::string& out) {
  if (sealed.size() < kChunkOverhead) return false;
  crypto_secretstream_xchacha20poly1305_state state;
  if (crypto_secretstream_xchacha20poly1305_init_pull(&state, u8(sealed), key.data()) != 0) return false;
  const std::string_view body = sealed.substr(crypto_secretstream_xchacha20poly1305_HEADERBYTES);
  out.resize(body.size() - crypto_secretstream_xchacha20poly1305_ABYTES);
  unsigned long long len = 0;
  unsigned char tag = 0;
  const std::string ad = header.associated_data(index);
  const int rc = crypto_secretstream_xchacha20poly1305_pull(&state, reinterpret_cast<unsigned char*>(out.data()), &len,
                                                            &tag, u8(body), body.size(), u8(ad), ad.size());
  sodium_memzero(&state, sizeof state);
  const unsigned char expected =
      last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
  if (rc != 0 || tag != expected) {
    out.clear();
    return false;
  }
  out.resize(std::size_t(len));
  return true;
}

SealedWriter::SealedWriter(const auth::KeyBytes& key, std::uint32_t key_generation, std::uint64_t plain_size,
                           Sink sink, std::uint32_t chunk_size)
    : key_(key), sink_(std::move(sink)) {
  if (chunk_size < kMinChunkBytes || chunk_size > kMaxChunkBytes) invalid("Unsupported chunk size.");
  header_.key_generation = key_generation;
  header_.chunk_size = chunk_size;
  header_.plain_size = plain_size;
  header_.file_id.resize(kFileIdBytes);
  randombytes_buf(header_.file_id.data(), header_.file_id.size());
  pending_.reserve(chunk_size);
  sink_(header_.encode());
}

void SealedWriter::write(std::string_view bytes) {
  if (finished_) invalid("The file is already complete.");
  if (bytes.size() > header_.plain_size - written_)
    invalid("More bytes than announced (" + std::to_string(header_.plain_size) + ") were written.");
  written_ += bytes.size();
  while (!bytes.empty()) {
    // A full chunk is sealed only once more bytes show it is not the last.
    if (pending_.size() == header_.chunk_size) flush(false);
    const std::size_t take = std::min(bytes.size(), std::size_t(header_.chunk_size) - pending_.size());
    pending_.append(bytes.substr(0, take));
    bytes.remove_prefix(take);
  }
}

void SealedWriter::finish() {
  if (finished_) return;
  if (written_ != header_.plain_size)
    invalid("Only " + std::to_string(written_) + " of " + std::to_string(header_.plain_size) + " bytes were written.");
  flush(true);
  finished_ = true;
  sodium_memzero(pending_.data(), pending_.size());
}

void SealedWriter::flush(bool last) {
  sealed_.clear();
  seal_chunk(key_, header_, index_, last, pending_, sealed_);
  sink_(sealed_);
  ++index_;
  pending_.clear();
}

}  // namespace visor::media
