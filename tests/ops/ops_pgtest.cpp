// Issue 10, finding 10 on PostgreSQL: `visor backup` runs pg_dump (Debian's
// postgresql-client) while Visor writes, `visor restore` runs pg_restore into
// an empty database, and every write acknowledged before the backup began is
// there. Needs VISOR_TEST_PG_URL (scripts/lib/pg-cluster.sh), a superuser
// that may create databases.
#include <gtest/gtest.h>

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "storage/postgres/pg.hpp"
#include "support.hpp"
#include "writes.hpp"

namespace visor::opstest {
namespace {

// A new, empty database on the test cluster, dropped at the end.
class Database {
 public:
  explicit Database(const std::string& name) : name_(name) {
    const char* base = std::getenv("VISOR_TEST_PG_URL");
    base_ = base ? base : "";
    if (base_.empty()) return;
    boost::urls::url u(*boost::urls::parse_uri(base_));
    u.set_path("/" + name_);
    url_ = std::string(u.buffer());
    storage::postgres::Connection admin(base_);
    admin.exec("DROP DATABASE IF EXISTS " + name_);
    admin.exec("CREATE DATABASE " + name_);
  }
  ~Database() {
    if (base_.empty()) return;
    try {
      storage::postgres::Connection admin(base_);
      admin.exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (...) {
    }
  }
  const std::string& url() const { return url_; }

 private:
  std::string name_, base_, url_;
};

TEST(PgBackup, WhileWritingThenRestoreIntoAnEmptyDatabase) {
  if (!std::getenv("VISOR_TEST_PG_URL") || !*std::getenv("VISOR_TEST_PG_URL")) {
    if (std::getenv("VISOR_SKIP_PG")) GTEST_SKIP() << "VISOR_SKIP_PG is set";
    FAIL() << "VISOR_TEST_PG_URL is not set: eval \"$(scripts/lib/pg-cluster.sh start)\"";
  }
  const std::string suffix = std::to_string(::getpid());
  Database live("visor_ops_live_" + suffix), target("visor_ops_restored_" + suffix);
  TempDir t;
  const fs::path copy = t / "copy";
  std::vector<std::int64_t> before_backup;
  {
    WritingVisor writing(live.url(), t / "data");
    ASSERT_TRUE(writing.wait_for(50));
    before_backup = writing.acknowledged();
    const Result r = visor({"backup", "--db", live.url(), "--data-dir", (t / "data").string(), "--out", copy.string()});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("Backed up postgresql"), std::string::npos) << r.out;
    EXPECT_GT(writing.stop_writing().size(), before_backup.size()) << "no write happened during the backup";
    EXPECT_EQ(writing.failures(), 0u);
  }
  EXPECT_TRUE(fs::exists(copy / "database.pgdump"));
  ASSERT_EQ(visor({"restore", "--verify-only", "--from", copy.string()}).status, 0);

  Result r = visor({"restore", "--db", target.url(), "--data-dir", (t / "restored").string(), "--from", copy.string()});
  ASSERT_EQ(r.status, 0) << r.err;
  const auto ids = task_ids(target.url());
  for (std::int64_t id : before_backup)
    EXPECT_TRUE(std::binary_search(ids.begin(), ids.end(), id)) << "acknowledged write " << id << " is missing";

  // Never into a database that holds something.
  r = visor({"restore", "--db", target.url(), "--data-dir", (t / "again").string(), "--from", copy.string()});
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find("not empty"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace visor::opstest
