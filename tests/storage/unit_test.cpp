// Backend-independent pieces of the storage layer, and open_store's URL
// handling (built into storage_contract_test only).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "fixture.hpp"
#include "storage/migrations.hpp"
#include "storage/sql/task_cursor.hpp"
#include "storage/sql/text.hpp"
#include "storage/sqlite/db.hpp"
#include "storage/store.hpp"

namespace visor::storage::test {
namespace {

TEST(StorageText, FoldCaseLowersLatinGreekCyrillicAndKeepsTheRest) {
  EXPECT_EQ(sql::fold_case("PUMP Seal 42"), "pump seal 42");
  EXPECT_EQ(sql::fold_case("ÉTAT ÇA ÀÖØ ×"), "état ça àöø ×");
  EXPECT_EQ(sql::fold_case("ŒUVRE Ÿ Ł Ž"), "œuvre ÿ ł ž");
  EXPECT_EQ(sql::fold_case("ΑΒΓ ДОМ Ёж"), "αβγ дом ёж");
  EXPECT_EQ(sql::fold_case("ポンプ ß"), "ポンプ ß");
  EXPECT_EQ(sql::fold_case(std::string("A\xff\xc3") + "B"), std::string("a\xff\xc3") + "b") << "invalid bytes kept";
}

TEST(StorageText, LikePatternsEscapeMetacharacters) {
  EXPECT_EQ(sql::escape_like("50%_a\\b"), "50\\%\\_a\\\\b");
  EXPECT_EQ(sql::contains_pattern("x"), "%x%");
  EXPECT_EQ(sql::search_pattern(sql::Backend::sqlite, "ÉTAT%"), "%état\\%%");
  EXPECT_EQ(sql::search_pattern(sql::Backend::postgres, "ÉTAT%"), "%ÉTAT\\%%");
}

TEST(StorageCursor, RoundTripsAndBelongsToItsSort) {
  const sql::TaskCursor c{TaskSort::priority, 3, sql::kUnscheduled, 12345};
  const std::string text = sql::encode_cursor(c);
  EXPECT_EQ(text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos)
      << "URL-safe";
  const sql::TaskCursor back = sql::decode_cursor(text, TaskSort::priority);
  EXPECT_EQ(back.key1, 3);
  EXPECT_EQ(back.key2, sql::kUnscheduled);
  EXPECT_EQ(back.id, 12345);
  expect_error(ErrorCode::invalid_input, [&] { sql::decode_cursor(text, TaskSort::newest); });
  expect_error(ErrorCode::invalid_input, [&] { sql::decode_cursor("", TaskSort::newest); });
  const sql::TaskCursor negative{TaskSort::updated, -5, 0, 1};
  EXPECT_EQ(sql::decode_cursor(sql::encode_cursor(negative), TaskSort::updated).key1, -5);
}

TEST(StorageSqlite, PlaceholdersBecomeNumberedParameters) {
  EXPECT_EQ(sqlite::sqlite_placeholders("a = $1 AND b = $12"), "a = ?1 AND b = ?12");
  EXPECT_EQ(sqlite::sqlite_placeholders("x = '$1' AND \"$2\" = $3 AND y = $"), "x = '$1' AND \"$2\" = ?3 AND y = $");
}

TEST(StorageSqlite, ParameterCountMismatchIsABug) {
  sqlite::Connection c({":memory:", false, std::chrono::milliseconds(100)});
  sqlite::StatementLease st = c.prepare("SELECT $1, $2");
  const sql::Param one = sql::arg(1);
  expect_error(ErrorCode::internal, [&] { st->bind_all(&one, 1); });
  expect_error(ErrorCode::internal, [&] { c.prepare("SELEKT nonsense"); });
}

TEST(StorageMigrations, BothBackendsHaveTheSameVersions) {
  const auto lite = migrations(MigrationSet::sqlite);
  const auto pg = migrations(MigrationSet::postgres);
  ASSERT_FALSE(lite.empty());
  ASSERT_EQ(lite.size(), pg.size());
  for (std::size_t i = 0; i < lite.size(); ++i) {
    EXPECT_EQ(lite[i].version, static_cast<int>(i + 1));
    EXPECT_EQ(lite[i].version, pg[i].version);
    EXPECT_EQ(lite[i].name, pg[i].name);
    EXPECT_NE(lite[i].sql.find("CREATE"), std::string_view::npos);
  }
}

class OpenStore : public ::testing::Test {
 protected:
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::filesystem::path dir_ =
      std::filesystem::temp_directory_path() / ("visor-open-store-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" + std::to_string(reinterpret_cast<std::uintptr_t>(this)));
};

TEST_F(OpenStore, MalformedUrlsAreInvalidInput) {
  for (const std::string url : {"", "visor.db", "mysql://localhost/visor", "sqlite://", "sqlite:///",
                                "sqlite://user:pw@host/x.db", "sqlite:///x.db?mode=ro", "http://example.com/",
                                "sqlite:relative.db", "sqlite:::memory:", "postgresql://h:port/db",
                                "postgresql://h/db?no_such_option=1", "postgres://[::1/db"}) {
    const Error e = expect_error(ErrorCode::invalid_input, [&] { open_store(url); });
    EXPECT_NE(e.detail().find("Invalid store URL"), std::string::npos) << url << ": " << e.detail();
  }
}

TEST_F(OpenStore, SqliteUrlsCreateTheFileAndItsDirectory) {
  const std::filesystem::path file = dir_ / "a b" / "nested" / "visor.db";
  auto store = open_store("sqlite://" + (dir_ / "a%20b" / "nested" / "visor.db").string());
  EXPECT_EQ(store->backend(), "sqlite");
  EXPECT_TRUE(std::filesystem::exists(file));
  store.reset();
  const std::filesystem::path old = std::filesystem::current_path();
  std::filesystem::current_path(dir_);
  auto relative = open_store("sqlite://rel/dir/r.db");
  std::filesystem::current_path(old);
  EXPECT_TRUE(std::filesystem::exists(dir_ / "rel" / "dir" / "r.db"));
  EXPECT_TRUE(open_store("sqlite::memory:")->healthy());
}

TEST_F(OpenStore, UnreachableDatabasesAreUnavailable) {
  expect_error(ErrorCode::unavailable, [&] { open_store("postgresql://visor@127.0.0.1:1/visor?connect_timeout=2"); });
  expect_error(ErrorCode::unavailable, [&] { open_store("postgres://visor@127.0.0.1:1/visor"); });
  std::filesystem::create_directories(dir_);
  expect_error(ErrorCode::unavailable, [&] { open_store("sqlite://" + dir_.string()); });  // a directory
  const std::filesystem::path junk = dir_ / "junk.db";
  {
    std::ofstream(junk) << std::string(4096, 'x');
  }
  expect_error(ErrorCode::unavailable, [&] { open_store("sqlite://" + junk.string()); });  // not a database
}

}  // namespace
}  // namespace visor::storage::test
