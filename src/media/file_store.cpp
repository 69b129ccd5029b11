#include "media/file_store.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "media/sealed_file.hpp"
#include "util/error.hpp"

namespace visor::media {
namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail_io(std::string_view what, const fs::path& path) {
  throw Error(ErrorCode::unavailable, "Cannot " + std::string(what) + " a stored file: the disk is full or failing.",
              path.string() + ": " + std::strerror(errno));
}

struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

void write_all(int fd, std::string_view bytes, const fs::path& path) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail_io("write", path);
    bytes.remove_prefix(std::size_t(n));
  }
}

// Reads exactly `size` bytes at `offset`; false when the file ends before.
bool read_at(int fd, std::uint64_t offset, char* buffer, std::size_t size, const fs::path& path) {
  std::size_t got = 0;
  while (got < size) {
    const ssize_t n = ::pread(fd, buffer + got, size - got, off_t(offset + got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail_io("read", path);
    if (n == 0) return false;
    got += std::size_t(n);
  }
  return true;
}

void sync_dir(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

class Failures {
 public:
  explicit Failures(metrics::Counter* c) : counter_(c) {}
  [[noreturn]] void raise(std::string internal) const {
    if (counter_) counter_->inc();
    throw IntegrityError(std::move(internal));
  }

 private:
  metrics::Counter* counter_;
};

// Writes under "<name>.tmp<pid>" (remove_orphan_temporaries knows the
// pattern), then fsync and rename.
class SealedFileWriter final : public MediaWriter {
 public:
  SealedFileWriter(fs::path path, const auth::KeyBytes& key, std::uint32_t generation, std::uint64_t size,
                   std::uint32_t chunk_size)
      : path_(std::move(path)), tmp_(path_.string() + ".tmp" + std::to_string(::getpid())) {
    std::error_code ec;
    fs::create_directories(path_.parent_path(), ec);
    fd_ = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd_ < 0) fail_io("create", tmp_);
    writer_.emplace(key, generation, size, [this](std::string_view bytes) { write_all(fd_, bytes, tmp_); },
                    chunk_size);
  }
  ~SealedFileWriter() override {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(tmp_.c_str());
  }
  void write(std::string_view bytes) override { writer_->write(bytes); }
  void commit() override {
    writer_->finish();
    if (::fsync(fd_) != 0) fail_io("sync", tmp_);
    ::close(fd_);
    fd_ = -1;
    if (::rename(tmp_.c_str(), path_.c_str()) != 0) fail_io("store", path_);
    committed_ = true;
    sync_dir(path_.parent_path());
  }

 private:
  fs::path path_;
  fs::path tmp_;
  int fd_ = -1;
  std::optional<SealedWriter> writer_;
  bool committed_ = false;
};

class SealedFileReader final : public MediaReader {
 public:
  // `key` is one of `keys`, kept alive with the reader.
  SealedFileReader(std::unique_ptr<Fd> fd, fs::path path, SealedHeader header,
                   std::shared_ptr<const MediaKeys> keys, const auth::KeyBytes& key, Failures failures)
      : fd_(std::move(fd)),
        path_(std::move(path)),
        header_(std::move(header)),
        layout_{header_.chunk_size, header_.plain_size},
        keys_(std::move(keys)),
        key_(key),
        failures_(failures) {}
  ~SealedFileReader() override { sodium_memzero(plain_.data(), plain_.size()); }

  std::uint64_t size() const override { return layout_.plain_size; }

  std::size_t read(std::uint64_t offset, std::size_t max, std::string& out) override {
    if (offset >= layout_.plain_size || max == 0) return 0;
    const std::uint64_t index = offset / layout_.chunk_size;
    load(index);
    const std::size_t within = std::size_t(offset - index * layout_.chunk_size);
    const std::size_t n = std::min(max, plain_.size() - within);
    out.append(plain_, within, n);
    return n;
  }

 private:
  // Decrypts chunk `index` into plain_ (kept for the next read).
  void load(std::uint64_t index) {
    if (loaded_ == index) return;
    loaded_.reset();
    const std::size_t plain_size = layout_.chunk_plain_size(index);
    sealed_.resize(plain_size + kChunkOverhead);
    if (!read_at(fd_->fd, layout_.chunk_offset(index), sealed_.data(), sealed_.size(), path_))
      failures_.raise(path_.string() + ": cut short before chunk " + std::to_string(index));
    if (!open_chunk(key_, header_, index, index + 1 == layout_.chunks(), sealed_, plain_))
      failures_.raise(path_.string() + ": chunk " + std::to_string(index) + " does not authenticate");
    loaded_ = index;
  }

  std::unique_ptr<Fd> fd_;
  fs::path path_;
  SealedHeader header_;
  SealedLayout layout_;
  std::shared_ptr<const MediaKeys> keys_;
  const auth::KeyBytes& key_;
  Failures failures_;
  std::string sealed_;
  std::string plain_;
  std::optional<std::uint64_t> loaded_;
};

// A file stored before encryption, served as it is while accepted.
class PlainFileReader final : public MediaReader {
 public:
  PlainFileReader(std::unique_ptr<Fd> fd, fs::path path, std::uint64_t size)
      : fd_(std::move(fd)), path_(std::move(path)), size_(size) {}
  std::uint64_t size() const override { return size_; }
  std::size_t read(std::uint64_t offset, std::size_t max, std::string& out) override {
    if (offset >= size_ || max == 0) return 0;
    const std::size_t n = std::size_t(std::min<std::uint64_t>(max, size_ - offset));
    const std::size_t at = out.size();
    out.resize(at + n);
    if (!read_at(fd_->fd, offset, out.data() + at, n, path_)) {
      out.resize(at);
      fail_io("read", path_);
    }
    return n;
  }

 private:
  std::unique_ptr<Fd> fd_;
  fs::path path_;
  std::uint64_t size_;
};

class FileMediaStore final : public MediaStore {
 public:
  explicit FileMediaStore(FileStoreOptions o) : o_(std::move(o)), failures_(o_.integrity_failures) {}

  std::unique_ptr<MediaWriter> create(const std::string& name, std::uint64_t size) override {
    const fs::path path = path_of(name);
    const MediaKeys& keys = unlocked();
    return std::make_unique<SealedFileWriter>(path, keys.current(), keys.current_generation(), size, o_.chunk_size);
  }

  std::unique_ptr<MediaReader> open(const std::string& name) override {
    const fs::path path = path_of(name);
    auto fd = std::make_unique<Fd>(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (fd->fd < 0) {
      if (errno == ENOENT) not_found("The stored file " + name + " is missing from the media folder.");
      fail_io("open", path);
    }
    struct stat st {};
    if (::fstat(fd->fd, &st) != 0) fail_io("inspect", path);
    if (!S_ISREG(st.st_mode)) failures_.raise(path.string() + ": not a regular file");
    std::string head(kSealedHeaderBytes, '\0');
    const bool whole_header = read_at(fd->fd, 0, head.data(), head.size(), path);
    if (!whole_header || !looks_sealed(head)) {
      if (!o_.accept_plain) failures_.raise(path.string() + ": stored unencrypted where only encrypted files are accepted");
      return std::make_unique<PlainFileReader>(std::move(fd), path, std::uint64_t(st.st_size));
    }
    SealedHeader header;
    try {
      header = SealedHeader::decode(head);
    } catch (const Error& e) {
      failures_.raise(path.string() + ": " + e.detail());
    }
    const SealedLayout layout{header.chunk_size, header.plain_size};
    if (layout.sealed_size() != std::uint64_t(st.st_size))
      failures_.raise(path.string() + ": " + std::to_string(st.st_size) + " bytes, the header says " +
                      std::to_string(layout.sealed_size()) + " (cut short or extended)");
    const auth::KeyBytes* key = (unlocked(), o_.keys->find(header.key_generation));
    if (!key)
      failures_.raise(path.string() + ": sealed under media key generation " + std::to_string(header.key_generation) +
                      ", which this deployment does not hold");
    return std::make_unique<SealedFileReader>(std::move(fd), path, std::move(header), o_.keys, *key, failures_);
  }

  bool exists(const std::string& name) override {
    std::error_code ec;
    return fs::exists(path_of(name), ec);
  }

  std::string_view protection() const override { return kSealedProtection; }

 private:
  fs::path path_of(const std::string& name) const {
    if (!valid_name(name)) invalid("'" + name.substr(0, 80) + "' is not a valid stored file name.");
    return o_.dir / name;
  }
  const MediaKeys& unlocked() const {
    if (!o_.keys) fail(ErrorCode::unavailable, o_.locked_reason.empty() ? "The media key is not available." : o_.locked_reason);
    return *o_.keys;
  }

  FileStoreOptions o_;
  Failures failures_;
};

}  // namespace

std::unique_ptr<MediaStore> file_media_store(FileStoreOptions options) {
  return std::make_unique<FileMediaStore>(std::move(options));
}

}  // namespace visor::media
