#include "backup/sealed_archive.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>

#include "util/error.hpp"

namespace visor::backup {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kMagic = "VISORBK1";
constexpr std::string_view kEnd = "VISOREND";
constexpr std::size_t kIdBytes = 16;
constexpr std::size_t kHeaderBytes = 8 + 2 * kIdBytes;
constexpr std::size_t kTrailerBytes = 8 + 8 + 8;
constexpr std::size_t kMessage = 64 * 1024;
constexpr std::size_t kStreamHeader = crypto_secretstream_xchacha20poly1305_HEADERBYTES;
constexpr std::size_t kOverhead = crypto_secretstream_xchacha20poly1305_ABYTES;
const std::string kIndexName("\0index", 6);

[[noreturn]] void fail_io(std::string_view what, const fs::path& path) {
  throw Error(ErrorCode::unavailable, "Cannot " + std::string(what) + " " + path.string() + ": " +
                                          std::strerror(errno) + ".");
}

const unsigned char* u8(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

void put_le64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(char((v >> (8 * i)) & 0xff));
}

std::uint64_t le64(std::string_view s) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(s[std::size_t(i)]);
  return v;
}

// A keyed hash naming the key without revealing it.
std::string key_id(const auth::KeyBytes& key) {
  static constexpr std::string_view kLabel = "visor backup key id";
  std::string id(kIdBytes, '\0');
  crypto_generichash(reinterpret_cast<unsigned char*>(id.data()), id.size(), u8(kLabel), kLabel.size(), key.data(),
                     key.size());
  return id;
}

std::string hex(std::string_view bytes) {
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), u8(bytes), bytes.size());
  out.pop_back();
  return out;
}

// The file being written, shared by the writer and its entries.
struct OutFile {
  fs::path path;
  int fd = -1;
  std::uint64_t offset = 0;
  void write(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::write(fd, bytes.data(), bytes.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) fail_io("write", path);
      bytes.remove_prefix(std::size_t(n));
      offset += std::uint64_t(n);
    }
  }
};

// One secretstream: messages of kMessage plain bytes, the last FINAL. A
// full message is pushed only once more bytes show it is not the last.
class StreamPusher {
 public:
  StreamPusher(OutFile& file, const auth::KeyBytes& key, std::string ad) : file_(file), ad_(std::move(ad)) {
    std::string header(kStreamHeader, '\0');
    crypto_secretstream_xchacha20poly1305_init_push(&state_, reinterpret_cast<unsigned char*>(header.data()),
                                                    key.data());
    start_ = file_.offset;
    file_.write(header);
    pending_.reserve(kMessage);
  }
  ~StreamPusher() { sodium_memzero(&state_, sizeof state_); }
  void write(std::string_view bytes) {
    while (!bytes.empty()) {
      if (pending_.size() == kMessage) push(false);
      const std::size_t take = std::min(bytes.size(), kMessage - pending_.size());
      pending_.append(bytes.substr(0, take));
      bytes.remove_prefix(take);
    }
  }
  /// Pushes the FINAL message; returns (offset, length) of the stream.
  std::pair<std::uint64_t, std::uint64_t> finish() {
    push(true);
    return {start_, file_.offset - start_};
  }

 private:
  void push(bool last) {
    sealed_.resize(pending_.size() + kOverhead);
    crypto_secretstream_xchacha20poly1305_push(
        &state_, reinterpret_cast<unsigned char*>(sealed_.data()), nullptr, u8(pending_), pending_.size(), u8(ad_),
        ad_.size(), last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
    file_.write(sealed_);
    pending_.clear();
  }

  OutFile& file_;
  std::string ad_;
  crypto_secretstream_xchacha20poly1305_state state_{};
  std::string pending_;
  std::string sealed_;
  std::uint64_t start_ = 0;
};

struct IndexEntry {
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
};

class SealedWriter final : public ArchiveWriter {
 public:
  SealedWriter(fs::path file, const auth::SecretBox& box)
      : final_(std::move(file)), key_(box.derive(auth::KeyPurpose::backup_archive)) {
    out_.path = final_.string() + ".partial";
    std::error_code ec;
    if (fs::exists(final_, ec)) invalid(final_.string() + " already exists: choose a new file for the backup.");
    if (fs::exists(out_.path, ec))
      invalid(out_.path.string() + " is left from an interrupted backup: remove it first.");
    if (!final_.parent_path().empty()) fs::create_directories(final_.parent_path(), ec);
    out_.fd = ::open(out_.path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (out_.fd < 0) fail_io("create", out_.path);
    archive_id_.resize(kIdBytes);
    randombytes_buf(archive_id_.data(), archive_id_.size());
    out_.write(std::string(kMagic) + archive_id_ + key_id(key_));
  }
  ~SealedWriter() override {
    if (out_.fd >= 0) ::close(out_.fd);
    if (!committed_) ::unlink(out_.path.c_str());  // an unfinished backup is not left looking like one
  }

  std::unique_ptr<EntryWriter> create(const std::string& name) override {
    if (!valid_entry_name(name)) invalid("'" + name + "' is not a valid backup entry name.");
    if (open_) fail(ErrorCode::internal, "One backup entry at a time.");
    if (index_.count(name)) invalid("The backup already holds " + name + ".");
    return std::make_unique<Entry>(*this, name);
  }

  void commit() override {
    boost::json::array index;
    for (const auto& [name, e] : index_)
      index.push_back(boost::json::object{{"name", name}, {"offset", e.offset}, {"length", e.length}});
    StreamPusher pusher(out_, key_, archive_id_ + kIndexName);
    pusher.write(boost::json::serialize(index));
    const auto [offset, length] = pusher.finish();
    std::string trailer;
    put_le64(trailer, offset);
    put_le64(trailer, length);
    trailer += kEnd;
    out_.write(trailer);
    if (::fsync(out_.fd) != 0) fail_io("sync", out_.path);
    ::close(out_.fd);
    out_.fd = -1;
    if (::rename(out_.path.c_str(), final_.c_str()) != 0) fail_io("complete", final_);
    const fs::path dir = final_.parent_path().empty() ? fs::path(".") : final_.parent_path();
    if (const int d = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); d >= 0) {
      ::fsync(d);
      ::close(d);
    }
    committed_ = true;
  }

  std::string encryption() const override { return std::string(kSealedArchiveEncryption); }

 private:
  class Entry final : public EntryWriter {
   public:
    Entry(SealedWriter& w, std::string name)
        : w_(w), name_(std::move(name)), pusher_(w.out_, w.key_, w.archive_id_ + name_) {
      w_.open_ = true;
    }
    ~Entry() override { w_.open_ = false; }
    void write(std::string_view bytes) override { pusher_.write(bytes); }
    void close() override {
      const auto [offset, length] = pusher_.finish();
      w_.index_[name_] = IndexEntry{offset, length};
      w_.open_ = false;
    }

   private:
    SealedWriter& w_;
    std::string name_;
    StreamPusher pusher_;
  };

  fs::path final_;
  auth::KeyBytes key_;
  OutFile out_;
  std::string archive_id_;
  std::map<std::string, IndexEntry> index_;
  bool open_ = false;
  bool committed_ = false;
};

// Reads one stream back, message by message, within [offset, offset+length).
class StreamPuller {
 public:
  StreamPuller(int fd, const fs::path& path, const auth::KeyBytes& key, std::string ad, IndexEntry where,
               std::string what)
      : fd_(fd), path_(path), ad_(std::move(ad)), next_(where.offset), end_(where.offset + where.length),
        what_(std::move(what)) {
    std::string header(kStreamHeader, '\0');
    if (where.length < kStreamHeader + kOverhead || !read_exact(header))
      damaged("it is cut short");
    if (crypto_secretstream_xchacha20poly1305_init_pull(&state_, u8(header), key.data()) != 0) damaged("bad header");
  }
  ~StreamPuller() { sodium_memzero(&state_, sizeof state_); }

  /// The next message's plain bytes into `out`; false after the final one.
  bool next(std::string& out) {
    out.clear();
    if (finished_) return false;
    const std::uint64_t left = end_ - next_;
    const std::size_t size = std::size_t(std::min<std::uint64_t>(left, kMessage + kOverhead));
    if (size < kOverhead) damaged("it is cut short");
    sealed_.resize(size);
    if (!read_exact(sealed_)) damaged("it is cut short");
    out.resize(size - kOverhead);
    unsigned long long n = 0;
    unsigned char tag = 0;
    if (crypto_secretstream_xchacha20poly1305_pull(&state_, reinterpret_cast<unsigned char*>(out.data()), &n, &tag,
                                                   u8(sealed_), sealed_.size(), u8(ad_), ad_.size()) != 0)
      damaged("it does not decrypt (altered, or not this entry)");
    out.resize(std::size_t(n));
    const bool final = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
    if (final != (next_ == end_)) damaged(final ? "it ends early" : "it is cut short");
    finished_ = final;
    return true;
  }

 private:
  bool read_exact(std::string& buffer) {
    std::size_t got = 0;
    while (got < buffer.size()) {
      const ssize_t n = ::pread(fd_, buffer.data() + got, buffer.size() - got, off_t(next_ + got));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) fail_io("read", path_);
      if (n == 0) return false;
      got += std::size_t(n);
    }
    next_ += got;
    return true;
  }
  [[noreturn]] void damaged(std::string_view why) {
    invalid("The backup's " + what_ + " is damaged: " + std::string(why) + ".");
  }

  int fd_;
  const fs::path& path_;
  std::string ad_;
  crypto_secretstream_xchacha20poly1305_state state_{};
  std::uint64_t next_;
  std::uint64_t end_;
  std::string what_;
  std::string sealed_;
  bool finished_ = false;
};

class SealedEntryReader final : public EntryReader {
 public:
  SealedEntryReader(int fd, const fs::path& path, const auth::KeyBytes& key, std::string ad, IndexEntry where,
                    std::string name)
      : puller_(fd, path, key, std::move(ad), where, std::move(name)) {}
  std::size_t read(char* buffer, std::size_t size) override {
    while (at_ == plain_.size()) {
      if (!puller_.next(plain_)) return 0;
      at_ = 0;
    }
    const std::size_t n = std::min(size, plain_.size() - at_);
    std::memcpy(buffer, plain_.data() + at_, n);
    at_ += n;
    return n;
  }

 private:
  StreamPuller puller_;
  std::string plain_;
  std::size_t at_ = 0;
};

class SealedReader final : public ArchiveReader {
 public:
  SealedReader(fs::path file, const auth::SecretBox& box)
      : path_(std::move(file)), key_(box.derive(auth::KeyPurpose::backup_archive)) {
    fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd_ < 0) {
      if (errno == ENOENT) not_found(path_.string() + " does not exist.");
      fail_io("open", path_);
    }
    struct stat st {};
    if (::fstat(fd_, &st) != 0) fail_io("inspect", path_);
    const auto size = std::uint64_t(st.st_size);
    std::string header(kHeaderBytes, '\0');
    if (size < kHeaderBytes + kTrailerBytes || !pread_exact(header, 0) || !header.starts_with(kMagic))
      invalid(path_.string() + " is not an encrypted Visor backup.");
    archive_id_ = header.substr(8, kIdBytes);
    const std::string made_with = header.substr(8 + kIdBytes, kIdBytes);
    if (made_with != key_id(key_))
      invalid("The backup " + path_.string() + " was encrypted under another key (key id " + hex(made_with) +
              "; this key's is " + hex(key_id(key_)) +
              "). Restore with the key it was made with: --key-file, the systemd credential visor-secret-key, or "
              "VISOR_SECRET_KEY.");
    std::string trailer(kTrailerBytes, '\0');
    if (!pread_exact(trailer, size - kTrailerBytes) || !std::string_view(trailer).ends_with(kEnd))
      invalid("The backup " + path_.string() + " is cut short: it has no end marker.");
    const IndexEntry where{le64(trailer), le64(std::string_view(trailer).substr(8))};
    if (where.offset < kHeaderBytes || where.length > size || where.offset + where.length != size - kTrailerBytes)
      invalid("The backup " + path_.string() + " is damaged: its index is out of place.");
    std::string text, part;
    StreamPuller index(fd_, path_, key_, archive_id_ + kIndexName, where, "index");
    while (index.next(part)) {
      text += part;
      if (text.size() > (64u << 20)) invalid("The backup's index is too large to be one.");
    }
    read_index(text, where.offset);
  }
  ~SealedReader() override {
    if (fd_ >= 0) ::close(fd_);
  }

  std::unique_ptr<EntryReader> open(const std::string& name) override {
    if (!valid_entry_name(name)) invalid("The backup names an invalid entry '" + name.substr(0, 80) + "'.");
    const auto it = index_.find(name);
    if (it == index_.end()) not_found("The backup has no entry " + name + ".");
    return std::make_unique<SealedEntryReader>(fd_, path_, key_, archive_id_ + name, it->second, name);
  }
  std::vector<std::string> names() override {
    std::vector<std::string> out;
    for (const auto& [name, e] : index_) out.push_back(name);
    return out;
  }
  std::string encryption() const override { return std::string(kSealedArchiveEncryption); }

 private:
  bool pread_exact(std::string& buffer, std::uint64_t at) const {
    std::size_t got = 0;
    while (got < buffer.size()) {
      const ssize_t n = ::pread(fd_, buffer.data() + got, buffer.size() - got, off_t(at + got));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      got += std::size_t(n);
    }
    return true;
  }

  void read_index(const std::string& text, std::uint64_t limit) {
    boost::system::error_code ec;
    const auto value = boost::json::parse(text, ec);
    if (ec || !value.is_array()) invalid("The backup's index is not readable.");
    for (const auto& item : value.as_array()) {
      const auto* o = item.if_object();
      const auto* name = o ? o->if_contains("name") : nullptr;
      const auto* offset = o ? o->if_contains("offset") : nullptr;
      const auto* length = o ? o->if_contains("length") : nullptr;
      if (!name || !name->is_string() || !offset || !length || !offset->is_number() || !length->is_number())
        invalid("The backup's index is malformed.");
      const IndexEntry e{offset->to_number<std::uint64_t>(), length->to_number<std::uint64_t>()};
      if (e.offset < kHeaderBytes || e.length > limit || e.offset + e.length > limit)
        invalid("The backup's index places an entry outside the file.");
      index_[std::string(name->as_string())] = e;
    }
  }

  fs::path path_;
  auth::KeyBytes key_;
  int fd_ = -1;
  std::string archive_id_;
  std::map<std::string, IndexEntry> index_;
};

}  // namespace

std::unique_ptr<ArchiveWriter> sealed_writer(const fs::path& file, const auth::SecretBox& key) {
  return std::make_unique<SealedWriter>(file, key);
}

std::unique_ptr<ArchiveReader> sealed_reader(const fs::path& file, const auth::SecretBox& key) {
  return std::make_unique<SealedReader>(file, key);
}

bool is_sealed_archive(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string head(kMagic.size(), '\0');
  in.read(head.data(), std::streamsize(head.size()));
  return in && head == kMagic;
}

}  // namespace visor::backup
