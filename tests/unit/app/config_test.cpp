#include "app/config.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "app/args.hpp"
#include "util/error.hpp"

using namespace visor;
using namespace visor::app;

namespace {

RawConfig layer(std::initializer_list<std::pair<const char*, const char*>> values, const char* origin) {
  RawConfig c;
  for (const auto& [k, v] : values) c[k] = RawValue{v, origin};
  return c;
}

std::string error_of(const std::vector<RawConfig>& layers) {
  try {
    resolve_config(layers);
  } catch (const Error& e) {
    return e.detail();
  }
  return "";
}

}  // namespace

TEST(Config, DefaultsAreUsable) {
  const Config c = resolve_config({});
  EXPECT_EQ(c.host, "127.0.0.1");
  EXPECT_EQ(c.port, 8080);
  EXPECT_EQ(c.db_url.rfind("sqlite://", 0), 0u);
  EXPECT_NE(c.db_url.find("visor.db"), std::string::npos);
  EXPECT_EQ(c.public_url, "http://127.0.0.1:8080");
}

TEST(Config, LaterLayersWin) {
  const Config c = resolve_config({layer({{"listen", "0.0.0.0:9000"}, {"threads", "4"}}, "file"),
                                   layer({{"threads", "2"}}, "environment VISOR_THREADS")});
  EXPECT_EQ(c.host, "0.0.0.0");
  EXPECT_EQ(c.port, 9000);
  EXPECT_EQ(c.threads, 2);
  EXPECT_EQ(c.public_url, "http://localhost:9000");
}

TEST(Config, BadValuesNameTheSettingAndItsOrigin) {
  EXPECT_NE(error_of({layer({{"listen", "nowhere"}}, "flag --listen")}).find("flag --listen"), std::string::npos);
  EXPECT_NE(error_of({layer({{"listen", "1.2.3.4:70000"}}, "x")}).find("65535"), std::string::npos);
  EXPECT_NE(error_of({layer({{"db", "mysql://x"}}, "x")}).find("postgresql://"), std::string::npos);
  EXPECT_NE(error_of({layer({{"threads", "many"}}, "x")}).find("whole number"), std::string::npos);
  EXPECT_NE(error_of({layer({{"log_level", "loud"}}, "x")}).find("log_level"), std::string::npos);
  EXPECT_NE(error_of({layer({{"tls_cert", "/c.pem"}}, "x")}).find("together"), std::string::npos);
  EXPECT_NE(error_of({layer({{"public_url", "ftp://x"}}, "x")}).find("http"), std::string::npos);
  EXPECT_NE(error_of({layer({{"max_body", "-1"}}, "x")}).find("whole number"), std::string::npos);
  EXPECT_NE(error_of({layer({{"timezone", "Europe/Atlantis"}}, "x")}).find("timezone"), std::string::npos);
  EXPECT_EQ(resolve_config({layer({{"timezone", "Europe/Paris"}}, "x")}).timezone, "Europe/Paris");
}

TEST(Config, FileSyntaxErrorsHaveLineNumbers) {
  const auto path = std::filesystem::temp_directory_path() / "visor-config-test.conf";
  std::ofstream(path) << "# comment\nlisten = 127.0.0.1:1\n\ncolour = blue\n";
  try {
    read_config_file(path);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(e.detail().find("line 4"), std::string::npos) << e.detail();
    EXPECT_NE(e.detail().find("colour"), std::string::npos);
  }
  std::ofstream(path) << "listen = 127.0.0.1:1234 # inline comment\nmax_body = 2M\n";
  const Config c = resolve_config({read_config_file(path)});
  EXPECT_EQ(c.port, 1234);
  EXPECT_EQ(c.max_body_bytes, 2u << 20);
  std::filesystem::remove(path);
}

TEST(Args, OptionsSwitchesAndUnknownFlags) {
  const Args a = parse_args({"user", "add", "--login", "amy", "--name=Amy M", "--demo"}, {"--demo"});
  EXPECT_EQ(a.positional, (std::vector<std::string>{"user", "add"}));
  EXPECT_EQ(a.option("--login"), "amy");
  EXPECT_EQ(a.option("--name"), "Amy M");
  EXPECT_TRUE(a.has("--demo"));
  EXPECT_THROW(check_allowed(a, {"--login", "--name"}, "user add"), Error);
  EXPECT_THROW(parse_args({"--login"}, {}), Error);
  EXPECT_EQ(to_number("42", "n", 1, 100), 42);
  EXPECT_THROW(to_number("4x", "n", 1, 100), Error);
  EXPECT_THROW(to_number("0", "n", 1, 100), Error);
}
