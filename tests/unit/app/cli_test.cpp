// The command line's help: `visor --help` lists every command and setting,
// `visor <command> --help` the command's own usage.
#include <gtest/gtest.h>

#include "app/commands.hpp"

using visor::app::run_cli;

TEST(Cli, HelpListsEveryCommandAndSetting) {
  testing::internal::CaptureStdout();
  EXPECT_EQ(run_cli({"--help"}), 0);
  const std::string out = testing::internal::GetCapturedStdout();
  for (const char* command : {"serve", "migrate", "user add", "user list", "user passwd", "user disable",
                              "token create", "token revoke", "device pair", "demo-data", "sync", "backup",
                              "restore", "key rotate"})
    EXPECT_NE(out.find(command), std::string::npos) << command << " missing from:\n" << out;
  for (const char* setting : {"--listen", "VISOR_LISTEN", "--db", "VISOR_DB", "--data-dir", "VISOR_DATA_DIR",
                              "--key-file", "--trusted-proxies", "--max-streams-per-user"})
    EXPECT_NE(out.find(setting), std::string::npos) << setting << " missing from:\n" << out;
}

TEST(Cli, CommandHelpShowsItsUsage) {
  testing::internal::CaptureStdout();
  EXPECT_EQ(run_cli({"user", "add", "--help"}), 0);
  EXPECT_NE(testing::internal::GetCapturedStdout().find("Usage: visor user add"), std::string::npos);
}

TEST(Cli, UnknownCommandIsAUsageError) {
  testing::internal::CaptureStderr();
  EXPECT_EQ(run_cli({"frobnicate"}), 2);
  EXPECT_NE(testing::internal::GetCapturedStderr().find("unknown command 'frobnicate'"), std::string::npos);
}
