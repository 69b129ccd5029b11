#include "backup/archive.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "util/error.hpp"

namespace visor::backup {
namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail_io(std::string_view what, const fs::path& path) {
  throw Error(ErrorCode::unavailable, "Cannot " + std::string(what) + " " + path.string() + ": " +
                                          std::strerror(errno) + ".");
}

void sync_dir(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

class FileEntry final : public EntryWriter {
 public:
  explicit FileEntry(fs::path path) : path_(std::move(path)) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd_ < 0) fail_io("create", path_);
  }
  ~FileEntry() override {
    if (fd_ >= 0) ::close(fd_);
  }
  void write(std::string_view bytes) override {
    while (!bytes.empty()) {
      const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) fail_io("write", path_);
      bytes.remove_prefix(std::size_t(n));
    }
  }
  void close() override {
    if (::fsync(fd_) != 0) fail_io("sync", path_);
    ::close(fd_);
    fd_ = -1;
  }

 private:
  fs::path path_;
  int fd_ = -1;
};

class DirectoryWriter final : public ArchiveWriter {
 public:
  explicit DirectoryWriter(fs::path dir) : final_(std::move(dir)), partial_(final_.string() + ".partial") {
    std::error_code ec;
    if (fs::exists(final_, ec)) invalid(final_.string() + " already exists: choose a new folder for the backup.");
    if (fs::exists(partial_, ec))
      invalid(partial_.string() + " is left from an interrupted backup: remove it first.");
    if (::mkdir(partial_.c_str(), 0700) != 0) fail_io("create", partial_);
  }
  ~DirectoryWriter() override {
    if (committed_) return;
    std::error_code ec;
    fs::remove_all(partial_, ec);  // an unfinished backup is not left looking like one
  }

  std::unique_ptr<EntryWriter> create(const std::string& name) override {
    if (!valid_entry_name(name)) invalid("'" + name + "' is not a valid backup entry name.");
    const fs::path path = partial_ / name;
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    if (ec) fail_io("create the folder for", path);
    return std::make_unique<FileEntry>(path);
  }

  void commit() override {
    for (auto it = fs::recursive_directory_iterator(partial_); it != fs::recursive_directory_iterator(); ++it)
      if (it->is_directory()) sync_dir(it->path());
    sync_dir(partial_);
    if (::rename(partial_.c_str(), final_.c_str()) != 0) fail_io("complete", final_);
    sync_dir(final_.parent_path().empty() ? fs::path(".") : final_.parent_path());
    committed_ = true;
  }

  std::string encryption() const override { return "none"; }

 private:
  fs::path final_;
  fs::path partial_;
  bool committed_ = false;
};

class FileReader final : public EntryReader {
 public:
  explicit FileReader(const fs::path& path) : path_(path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd_ < 0) {
      if (errno == ENOENT) not_found("The backup has no entry " + path.filename().string() + ".");
      fail_io("open", path);
    }
  }
  ~FileReader() override { ::close(fd_); }
  std::size_t read(char* buffer, std::size_t size) override {
    while (true) {
      const ssize_t n = ::read(fd_, buffer, size);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) fail_io("read", path_);
      return std::size_t(n);
    }
  }

 private:
  fs::path path_;
  int fd_ = -1;
};

class DirectoryReader final : public ArchiveReader {
 public:
  explicit DirectoryReader(fs::path dir) : dir_(std::move(dir)) {
    std::error_code ec;
    if (!fs::is_directory(dir_, ec)) not_found(dir_.string() + " is not a backup folder.");
  }
  std::unique_ptr<EntryReader> open(const std::string& name) override {
    if (!valid_entry_name(name)) invalid("The backup names an invalid entry '" + name.substr(0, 80) + "'.");
    return std::make_unique<FileReader>(dir_ / name);
  }
  std::vector<std::string> names() override {
    std::vector<std::string> out;
    for (auto it = fs::recursive_directory_iterator(dir_); it != fs::recursive_directory_iterator(); ++it) {
      if (it->is_regular_file()) out.push_back(fs::relative(it->path(), dir_).generic_string());
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  std::string encryption() const override { return "none"; }

 private:
  fs::path dir_;
};

}  // namespace

bool valid_entry_name(std::string_view name) {
  if (name.empty() || name.size() > 512 || name.front() == '/') return false;
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t end = name.find('/', start);
    if (end == std::string_view::npos) end = name.size();
    const std::string_view segment = name.substr(start, end - start);
    if (segment.empty() || segment == "." || segment == "..") return false;
    for (char c : segment) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                      c == '_' || c == '-';
      if (!ok) return false;
    }
    start = end + 1;
  }
  return true;
}

std::unique_ptr<ArchiveWriter> directory_writer(const fs::path& dir) { return std::make_unique<DirectoryWriter>(dir); }
std::unique_ptr<ArchiveReader> directory_reader(const fs::path& dir) { return std::make_unique<DirectoryReader>(dir); }

}  // namespace visor::backup
