// Issue 10, finding 10 on PostgreSQL: `visor backup` runs pg_dump (Debian's
// postgresql-client) while Visor writes, `visor restore` runs pg_restore into
// an empty database, and every write acknowledged before the backup began is
// there. Needs VISOR_TEST_PG_URL (scripts/lib/pg-cluster.sh), a superuser
// that may create databases.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "pg_database.hpp"
#include "support.hpp"
#include "writes.hpp"

namespace visor::opstest {
namespace {

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
  EXPECT_TRUE(fs::is_regular_file(copy)) << "encrypted by default: one file";
  const std::string key = (t / "data" / "secret.key").string();
  ASSERT_EQ(visor({"restore", "--verify-only", "--from", copy.string(), "--key-file", key}).status, 0);

  Result r = visor({"restore", "--db", target.url(), "--data-dir", (t / "restored").string(), "--from", copy.string(),
                    "--key-file", key});
  ASSERT_EQ(r.status, 0) << r.err;
  const auto ids = task_ids(target.url());
  for (std::int64_t id : before_backup)
    EXPECT_TRUE(std::binary_search(ids.begin(), ids.end(), id)) << "acknowledged write " << id << " is missing";

  // Never into a database that holds something.
  r = visor({"restore", "--db", target.url(), "--data-dir", (t / "again").string(), "--from", copy.string(),
             "--key-file", key});
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find("not empty"), std::string::npos) << r.err;
}

// Issue 15, item 4: PostgreSQL over TLS with the server's certificate and
// name verified (sslmode=verify-full), against the test cluster's own CA
// (pg-cluster.sh makes one and exports VISOR_TEST_PG_CA).
TEST(PgTls, VerifyFullConnectsWithTheRightCaAndRefusesAnother) {
  const char* base = std::getenv("VISOR_TEST_PG_URL");
  const char* ca = std::getenv("VISOR_TEST_PG_CA");
  if (!base || !*base || !ca || !*ca) GTEST_SKIP() << "needs VISOR_TEST_PG_URL and VISOR_TEST_PG_CA (pg-cluster.sh)";
  Database db("visor_ops_tls_" + std::to_string(::getpid()));
  boost::urls::url u(*boost::urls::parse_uri(db.url()));
  u.set_host("localhost");  // the name in the server's certificate
  const std::string url = std::string(u.buffer()) + "?sslmode=verify-full&sslrootcert=" + ca;
  TempDir t;
  Result r = visor({"migrate", "--db", url, "--data-dir", (t / "data").string()});
  ASSERT_EQ(r.status, 0) << r.err;
  // The connection really is TLS.
  storage::postgres::Connection conn(url);
  const auto ssl = conn.exec("SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
  ASSERT_EQ(ssl.rows(), 1);
  EXPECT_EQ(ssl.value(0, 0), "true");
  // Another CA: refused, saying why.
  const fs::path other = t / "other-ca.crt";
  ASSERT_EQ(std::system(("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=other "
                         "-keyout " + (t / "other.key").string() + " -out " + other.string() + " 2>/dev/null")
                            .c_str()),
            0);
  r = visor({"migrate", "--db", std::string(u.buffer()) + "?sslmode=verify-full&sslrootcert=" + other.string(),
             "--data-dir", (t / "data2").string()});
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find("certificate verify failed"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace visor::opstest
