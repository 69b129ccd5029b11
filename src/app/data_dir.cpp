#include "app/data_dir.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include "util/error.hpp"

namespace visor::app {
namespace fs = std::filesystem;

namespace {

// Narrows `path` to `mode` when we own it and it is wider. Never follows a
// symbolic link.
void narrow(const fs::path& path, mode_t mode) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 || S_ISLNK(st.st_mode) || st.st_uid != ::geteuid()) return;
  if ((st.st_mode & 07777 & ~mode) != 0) ::chmod(path.c_str(), mode);
}

}  // namespace

void private_umask() { ::umask(077); }

void prepare_data_dir(const fs::path& data_dir) {
  std::error_code ec;
  fs::create_directories(data_dir, ec);
  if (ec) fail(ErrorCode::unavailable, "Cannot create the data directory " + data_dir.string() + ": " + ec.message());
  narrow(data_dir, 0700);
  const fs::path media = data_dir / "media";
  if (!fs::is_directory(media, ec)) return;
  narrow(media, 0700);
  for (auto it = fs::recursive_directory_iterator(media, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    narrow(it->path(), it->is_directory(ec) ? 0700 : 0600);
  }
}

}  // namespace visor::app
