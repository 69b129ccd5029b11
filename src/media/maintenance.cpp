#include "media/maintenance.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sodium.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <optional>

#include "media/sealed_file.hpp"

namespace visor::media {
namespace fs = std::filesystem;

namespace {

// "name.tmp1234": an unfinished write by process 1234.
std::optional<pid_t> temporary_of(const std::string& name) {
  const auto at = name.rfind(".tmp");
  if (at == std::string::npos) return std::nullopt;
  const std::string digits = name.substr(at + 4);
  if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return pid_t(std::stol(digits));
}

bool is_hex(std::string_view s) { return s.find_first_not_of("0123456789abcdef") == std::string_view::npos; }

// The SHA-256 a content-addressed name promises ("ab/<64 hex>.ext"), if any.
std::optional<std::string> promised_sha(const std::string& name) {
  const auto slash = name.find('/');
  const auto dot = name.find('.', slash + 1);
  if (slash != 2 || dot == std::string::npos || dot - slash - 1 != 64) return std::nullopt;
  const std::string sha = name.substr(slash + 1, 64);
  if (!is_hex(sha) || name.substr(0, 2) != sha.substr(0, 2)) return std::nullopt;
  return sha;
}

template <class Fn>
void for_each_file(const fs::path& dir, Fn fn) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file(ec) || temporary_of(it->path().filename().string())) continue;
    fn(it->path(), fs::relative(it->path(), dir).generic_string());
  }
}

std::string first_bytes(const fs::path& path, std::size_t n) {
  std::ifstream in(path, std::ios::binary);
  std::string out(n, '\0');
  in.read(out.data(), std::streamsize(n));
  out.resize(std::size_t(in.gcount()));
  return out;
}

}  // namespace

Census take_census(const fs::path& dir) {
  Census c;
  for_each_file(dir, [&](const fs::path& path, const std::string& name) {
    std::error_code ec;
    c.bytes += fs::file_size(path, ec);
    if (looks_sealed(first_bytes(path, kSealedMagic.size()))) {
      ++c.sealed;
      return;
    }
    ++c.plain;
    if (c.plain_names.size() < 5) c.plain_names.push_back(name);
  });
  return c;
}

EncryptReport encrypt_plain_files(const fs::path& dir, MediaStore& store) {
  EncryptReport report;
  std::vector<std::pair<fs::path, std::string>> plain;
  for_each_file(dir, [&](const fs::path& path, const std::string& name) {
    if (looks_sealed(first_bytes(path, kSealedMagic.size())))
      ++report.already;
    else
      plain.emplace_back(path, name);
  });
  for (const auto& [path, name] : plain) {
    if (!valid_name(name)) {
      report.problems.push_back(name + ": not a name Visor stores files under; left as is");
      continue;
    }
    std::ifstream in(path, std::ios::binary);
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (!in || ec) {
      report.problems.push_back(name + ": cannot be read; left as is");
      continue;
    }
    crypto_hash_sha256_state hash;
    crypto_hash_sha256_init(&hash);
    auto writer = store.create(name, size);
    std::string buffer(kDefaultChunkBytes, '\0');
    std::uint64_t copied = 0;
    while (in) {
      in.read(buffer.data(), std::streamsize(buffer.size()));
      const auto n = std::size_t(in.gcount());
      if (n == 0) break;
      const std::string_view part(buffer.data(), n);
      crypto_hash_sha256_update(&hash, reinterpret_cast<const unsigned char*>(part.data()), part.size());
      writer->write(part);
      copied += n;
    }
    if (copied != size) {
      report.problems.push_back(name + ": changed while it was read; left as is");
      continue;
    }
    if (const auto sha = promised_sha(name)) {
      unsigned char digest[crypto_hash_sha256_BYTES];
      crypto_hash_sha256_final(&hash, digest);
      char hex[crypto_hash_sha256_BYTES * 2 + 1];
      sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
      if (*sha != hex) {
        report.problems.push_back(name + ": its bytes do not match the content hash in its name (damaged); left as is");
        continue;
      }
    }
    writer->commit();
    ++report.encrypted;
  }
  return report;
}

int remove_orphan_temporaries(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return 0;
  const auto now = fs::file_time_type::clock::now();
  int removed = 0;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    const auto pid = temporary_of(it->path().filename().string());
    if (!pid) continue;
    const bool alive = *pid > 0 && (::kill(*pid, 0) == 0 || errno == EPERM) && *pid != ::getpid();
    const bool old = now - it->last_write_time(ec) > std::chrono::hours(1);
    if (alive && !old) continue;
    if (fs::remove(it->path(), ec)) ++removed;
  }
  return removed;
}

}  // namespace visor::media
