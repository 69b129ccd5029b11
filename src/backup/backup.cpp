#include "backup/backup.hpp"

#include <sodium.h>
#include <unistd.h>

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <algorithm>
#include <set>

#include "backup/process.hpp"
#include "storage/backup.hpp"
#include "storage/migrations.hpp"
#include "storage/store.hpp"
#include "util/error.hpp"

namespace visor::backup {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kChunk = 1 << 16;

class Sha256 {
 public:
  Sha256() { crypto_hash_sha256_init(&state_); }
  void add(std::string_view bytes) {
    crypto_hash_sha256_update(&state_, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    size_ += bytes.size();
  }
  std::string hex() {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&state_, digest);
    char out[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(out, sizeof out, digest, sizeof digest);
    return out;
  }
  std::uint64_t size() const { return size_; }

 private:
  crypto_hash_sha256_state state_{};
  std::uint64_t size_ = 0;
};

// Writes one entry, recording its size and checksum in the manifest.
class Recorder {
 public:
  Recorder(ArchiveWriter& out, Manifest& m) : out_(out), m_(m) {}

  template <class Fill>
  void entry(const std::string& name, Fill&& fill) {
    auto writer = out_.create(name);
    Sha256 hash;
    fill([&](std::string_view bytes) {
      hash.add(bytes);
      writer->write(bytes);
    });
    writer->close();
    m_.entries.push_back(ManifestEntry{name, hash.size(), hash.hex()});
  }

  void file(const std::string& name, const fs::path& path) {
    entry(name, [&](auto&& write) {
      auto reader = directory_reader(path.parent_path())->open(path.filename().string());
      std::string buffer(kChunk, '\0');
      for (std::size_t n; (n = reader->read(buffer.data(), buffer.size())) > 0;) write(std::string_view(buffer.data(), n));
    });
  }

 private:
  ArchiveWriter& out_;
  Manifest& m_;
};

bool is_postgres(const std::string& url) { return url.starts_with("postgresql://") || url.starts_with("postgres://"); }

// pg_dump and pg_restore take the URL without its password (which would
// show in the process list); the password goes in PGPASSWORD.
Command pg_command(std::string program, const std::string& url, std::vector<std::string> args) {
  Command c{std::move(program), std::move(args), {}};
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) invalid("The database URL is not a URL.");
  boost::urls::url u(*parsed);
  if (u.has_password()) {
    c.env.emplace_back("PGPASSWORD", u.password());
    u.remove_password();
  }
  c.args.push_back("--dbname=" + std::string(u.buffer()));
  return c;
}

int latest_schema(storage::MigrationSet set) {
  int v = 0;
  for (const auto& m : storage::migrations(set)) v = std::max(v, m.version);
  return v;
}

bool empty_dir(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return true;
  return fs::is_directory(dir, ec) && fs::directory_iterator(dir, ec) == fs::directory_iterator();
}

// Reads an entry whole into `sink`, checking it against the manifest.
template <class Sink>
void copy_checked(ArchiveReader& in, const ManifestEntry& e, Sink&& sink) {
  auto reader = in.open(e.name);
  Sha256 hash;
  std::string buffer(kChunk, '\0');
  for (std::size_t n; (n = reader->read(buffer.data(), buffer.size())) > 0;) {
    const std::string_view piece(buffer.data(), n);
    hash.add(piece);
    if (hash.size() > e.size) break;
    sink(piece);
  }
  if (hash.size() != e.size || hash.hex() != e.sha256)
    invalid("The backup's " + e.name + " does not match its manifest (size or SHA-256): the backup is damaged.");
}

}  // namespace

Manifest create_backup(const BackupRequest& request, ArchiveWriter& out) {
  Manifest m;
  m.created_at = request.now;
  m.visor_version = request.visor_version;
  m.encryption = out.encryption();
  Recorder record(out, m);
  if (is_postgres(request.db_url)) {
    m.backend = "postgresql";
    m.schema_version = storage::open_store(request.db_url, storage::StoreOptions{.migrate = false})->schema_version();
    record.entry(std::string(kPostgresEntry), [&](auto&& write) {
      run_reading(pg_command("pg_dump", request.db_url, {"--format=custom", "--no-owner", "--no-privileges"}), write);
    });
  } else {
    const auto file = storage::sqlite_file(request.db_url);
    if (!file) invalid("Only a database in a file (sqlite://…) or on PostgreSQL can be backed up.");
    m.backend = "sqlite";
    // The snapshot goes to a private file beside the data first (SQLite
    // writes a database, not a stream), then into the archive.
    const fs::path snapshot = request.scratch_dir / (".backup-" + std::to_string(::getpid()) + ".sqlite");
    std::error_code ec;
    fs::remove(snapshot, ec);
    try {
      storage::sqlite_online_backup(*file, snapshot);
      const auto check = storage::check_sqlite_file(snapshot);
      if (check.integrity != "ok") fail(ErrorCode::unavailable, "The database copy is damaged: " + check.integrity);
      m.schema_version = check.schema_version;
      record.file(std::string(kSqliteEntry), snapshot);
    } catch (...) {
      fs::remove(snapshot, ec);
      throw;
    }
    fs::remove(snapshot, ec);
  }
  std::error_code ec;
  if (fs::is_directory(request.media_dir, ec)) {
    std::vector<fs::path> files;
    for (auto it = fs::recursive_directory_iterator(request.media_dir); it != fs::recursive_directory_iterator(); ++it) {
      const std::string name = it->path().filename().string();
      if (it->is_regular_file() && name.find(".tmp") == std::string::npos) files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files)
      record.file(std::string(kMediaPrefix) + fs::relative(f, request.media_dir).generic_string(), f);
  }
  if (request.include_key) {
    m.includes_key = true;
    const Secret key = request.include_key->key_bytes();
    record.entry(std::string(kKeyEntry), [&](auto&& write) { write(key.reveal()); });
  }
  auto manifest = out.create(std::string(kManifestName));
  manifest->write(to_json(m));
  manifest->close();
  out.commit();
  return m;
}

Manifest verify_backup(ArchiveReader& in) {
  std::string text;
  {
    auto reader = in.open(std::string(kManifestName));
    std::string buffer(kChunk, '\0');
    for (std::size_t n; (n = reader->read(buffer.data(), buffer.size())) > 0;) {
      text.append(buffer.data(), n);
      if (text.size() > (64u << 20)) invalid("The backup's manifest is too large to be one.");
    }
  }
  Manifest m = parse_manifest(text);
  if (m.encryption != in.encryption())
    invalid("The backup says it is protected with '" + m.encryption + "' but was opened as '" + in.encryption() + "'.");
  const bool postgres = m.backend == "postgresql";
  if (!m.find(postgres ? kPostgresEntry : kSqliteEntry)) invalid("The backup holds no database.");
  if (m.includes_key != (m.find(kKeyEntry) != nullptr)) invalid("The backup's manifest is inconsistent about the key.");
  std::set<std::string> listed{std::string(kManifestName)};
  for (const auto& e : m.entries) {
    const bool known = e.name == (postgres ? kPostgresEntry : kSqliteEntry) || e.name == kKeyEntry ||
                       (e.name.starts_with(kMediaPrefix) && e.name.size() > kMediaPrefix.size());
    if (!known) invalid("The backup holds an unexpected entry " + e.name + ".");
    listed.insert(e.name);
    copy_checked(in, e, [](std::string_view) {});
  }
  for (const std::string& name : in.names())
    if (!listed.count(name)) invalid("The backup holds " + name + ", which its manifest does not list.");
  return m;
}

namespace {

// rename(), or a copy where the target lies on another file system.
void move_file(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::rename(from, to, ec);
  if (!ec) return;
  if (ec != std::errc::cross_device_link)
    fail(ErrorCode::unavailable, "Cannot move " + from.string() + " to " + to.string() + ": " + ec.message());
  fs::copy(from, to, fs::copy_options::recursive, ec);
  if (ec) fail(ErrorCode::unavailable, "Cannot copy " + from.string() + " to " + to.string() + ": " + ec.message());
  fs::remove_all(from, ec);
}

}  // namespace

RestoreReport restore_backup(ArchiveReader& in, const RestoreRequest& request) {
  RestoreReport report;
  report.manifest = verify_backup(in);
  const Manifest& m = report.manifest;
  const bool postgres = m.backend == "postgresql";
  if (postgres != is_postgres(request.db_url))
    invalid("The backup holds a " + m.backend + " database; restore it with a " +
            (postgres ? std::string("postgresql://") : std::string("sqlite://")) + " --db.");
  const int known = latest_schema(postgres ? storage::MigrationSet::postgres : storage::MigrationSet::sqlite);
  if (m.schema_version > known)
    invalid("The backup comes from a newer Visor (schema " + std::to_string(m.schema_version) + ", this one knows " +
            std::to_string(known) + "): restore it with Visor " + m.visor_version + " or newer.");

  // The target must be empty: a restore never mixes with other data.
  if (!empty_dir(request.data_dir))
    fail(ErrorCode::conflict, "The data directory " + request.data_dir.string() +
                                  " is not empty: restore into a new, empty one.");
  std::optional<fs::path> db_file;
  if (postgres) {
    if (!storage::postgres_database_empty(request.db_url))
      fail(ErrorCode::conflict, "The PostgreSQL database is not empty: restore into a new, empty database.");
  } else {
    db_file = storage::sqlite_file(request.db_url);
    if (!db_file) invalid("--db must be a sqlite:// file for this backup.");
    std::error_code ec;
    if (fs::exists(*db_file, ec))
      fail(ErrorCode::conflict, "The database file " + db_file->string() + " already exists: restore into a new one.");
  }
  std::error_code ec;
  fs::create_directories(request.data_dir, ec);
  if (ec) fail(ErrorCode::unavailable, "Cannot create " + request.data_dir.string() + ": " + ec.message());

  // Everything is staged in the data directory and moved into place at the
  // end; a failure removes the staging.
  const fs::path staging = request.data_dir / ".restoring";
  try {
    auto staged = directory_writer(staging);
    for (const auto& e : m.entries) {
      if (postgres && e.name == kPostgresEntry) continue;  // streamed into pg_restore below
      auto out = staged->create(e.name);
      copy_checked(in, e, [&](std::string_view piece) { out->write(piece); });
      out->close();
    }
    staged->commit();
    if (postgres) {
      const ManifestEntry& dump = *m.find(kPostgresEntry);
      auto reader = in.open(dump.name);
      Sha256 hash;
      std::string buffer(kChunk, '\0');
      run_writing(pg_command("pg_restore", request.db_url,
                             {"--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"}),
                  [&]() -> std::string {
                    const std::size_t n = reader->read(buffer.data(), buffer.size());
                    hash.add(std::string_view(buffer.data(), n));
                    return std::string(buffer.data(), n);
                  });
      if (hash.size() != dump.size || hash.hex() != dump.sha256)
        invalid("The backup's " + dump.name + " changed while it was restored: restore again from an intact copy.");
    } else {
      const fs::path copy = staging / kSqliteEntry;
      const auto check = storage::check_sqlite_file(copy);
      if (check.integrity != "ok") invalid("The backup's database fails SQLite's integrity check: " + check.integrity);
      fs::create_directories(db_file->parent_path(), ec);
      move_file(copy, *db_file);
    }
    if (fs::exists(staging / "media", ec)) move_file(staging / "media", request.media_dir);
    if (m.includes_key && request.key_file && !fs::exists(*request.key_file, ec)) {
      fs::create_directories(request.key_file->parent_path(), ec);
      move_file(staging / kKeyEntry, *request.key_file);
      report.key_restored = true;
    }
    fs::remove_all(staging, ec);
  } catch (...) {
    fs::remove_all(staging, ec);
    if (db_file) fs::remove(*db_file, ec);
    fs::remove_all(request.media_dir, ec);
    throw;
  }
  return report;
}

}  // namespace visor::backup
