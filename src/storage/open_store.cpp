// open_store: the one place that turns a store URL into a backend.
#include <boost/url/parse.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "storage/sqlite/store.hpp"
#include "storage/store.hpp"
#include "util/error.hpp"
#ifdef VISOR_STORAGE_HAS_POSTGRES
#include "storage/postgres/store.hpp"
#endif

namespace visor::storage {
namespace {

constexpr std::string_view kUsage =
    "use sqlite:///absolute/path.db, sqlite://relative/path.db, sqlite::memory: or "
    "postgresql://user:password@host:port/database";

[[noreturn]] void bad_url(std::string_view why) {
  invalid("Invalid store URL: " + std::string(why) + " (" + std::string(kUsage) + ").");
}

/// The file path of a sqlite: URL (authority and path joined, percent-decoded).
std::string sqlite_path(const boost::urls::url_view& u) {
  if (u.has_userinfo() || u.has_port()) bad_url("a sqlite URL takes no user, password or port");
  if (u.has_query() || u.has_fragment()) bad_url("a sqlite URL takes no query or fragment");
  if (!u.has_authority()) bad_url("a sqlite URL starts with sqlite://");
  std::string path = u.encoded_host().decode();
  path += u.encoded_path().decode();
  if (path.empty() || path == "/") bad_url("the sqlite URL names no file");
  return path;
}

// The database and its -wal and -shm files are readable by their owner
// only, whoever created them and whatever the umask: SQLite gives the -wal
// and -shm files the database file's mode, so the file is created (or
// narrowed) to 0600 before SQLite opens it.
void make_private(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    throw Error(ErrorCode::unavailable, "Cannot open the database file.",
                "open(" + path + "): " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) == 0 && st.st_uid == ::geteuid() && (st.st_mode & 077) != 0) ::fchmod(fd, 0600);
  ::close(fd);
  for (const char* suffix : {"-wal", "-shm", "-journal"}) {
    const std::string side = path + suffix;
    if (::stat(side.c_str(), &st) == 0 && st.st_uid == ::geteuid() && (st.st_mode & 077) != 0)
      ::chmod(side.c_str(), 0600);
  }
}

std::unique_ptr<Store> open_sqlite(const std::string& path, const StoreOptions& options) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
    if (ec)
      throw Error(ErrorCode::unavailable, "Cannot create the database directory.",
                  "create_directories(" + parent.string() + "): " + ec.message());
  }
  make_private(path);
  return std::make_unique<sqlite::SqliteStore>(path, options);
}

}  // namespace

std::optional<std::filesystem::path> sqlite_file(const std::string& url) {
  if (url == "sqlite::memory:") return std::nullopt;
  const auto parsed = boost::urls::parse_uri(url);
  if (!parsed || parsed->scheme() != "sqlite") return std::nullopt;
  return std::filesystem::path(sqlite_path(*parsed));
}

std::unique_ptr<Store> open_store(const std::string& url, const StoreOptions& options) {
  if (url == "sqlite::memory:") return std::make_unique<sqlite::SqliteStore>(":memory:", options);
  if (url.empty()) bad_url("it is empty");
  const auto parsed = boost::urls::parse_uri(url);
  if (!parsed) bad_url("it is not a URL");
  const std::string scheme = parsed->scheme();
  if (scheme == "sqlite") return open_sqlite(sqlite_path(*parsed), options);
  if (scheme == "postgresql" || scheme == "postgres") {
    if (parsed->has_port() && parsed->port_number() == 0) bad_url("the port is not a number from 1 to 65535");
#ifdef VISOR_STORAGE_HAS_POSTGRES
    if (const std::string why = postgres::url_problem(url); !why.empty()) bad_url(why);
    return std::make_unique<postgres::PgStore>(url, options);
#else
    throw Error(ErrorCode::unavailable, "PostgreSQL support is not built in.");
#endif
  }
  bad_url("unsupported scheme \"" + scheme + "\"");
}

}  // namespace visor::storage
