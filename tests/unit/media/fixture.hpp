#pragma once
// A temporary folder, a keyring with one random key, random bytes.
#include <gtest/gtest.h>
#include <sodium.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "media/keyring.hpp"
#include "util/error.hpp"

namespace visor::media::testing {

namespace fs = std::filesystem;

inline std::string random_bytes(std::size_t n) {
  std::string s(n, '\0');
  randombytes_buf(s.data(), s.size());
  return s;
}

inline auth::KeyBytes random_key() {
  auth::KeyBytes k;
  randombytes_buf(k.data(), k.size());
  return k;
}

inline std::shared_ptr<const MediaKeys> one_key(std::uint32_t generation = 1) {
  auto keys = std::make_shared<MediaKeys>();
  keys->add(generation, random_key());
  return keys;
}

inline std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline void write_file(const fs::path& p, const std::string& bytes) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes;
}

class TempDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (sodium_init() < 0) FAIL() << "libsodium";
    char tmpl[] = "/tmp/visor-media-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

}  // namespace visor::media::testing
