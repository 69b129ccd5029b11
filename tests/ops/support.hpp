#pragma once
// What the operations suites share: running the real `visor` binary as a
// separate process (as an operator or systemd would), temporary folders, and
// one in-process Visor with a device token to write through its API.
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

#include "app/application.hpp"
#include "util/clock.hpp"

namespace visor::opstest {

namespace fs = std::filesystem;

/// A temporary folder, removed with everything in it at the end.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

struct Result {
  int status = -1;  // exit code; -1 when it did not finish in time
  std::string out;
  std::string err;
};

struct RunOptions {
  std::map<std::string, std::string> env;  // added (or replacing)
  std::vector<std::string> unset;          // removed from the environment
  std::string stdin_text;
  std::chrono::seconds timeout{120};
  /// Runs under `sh -c '<shell_prefix> exec visor …'` (e.g. "ulimit -Sn 256;").
  std::string shell_prefix;
};

/// Runs `visor <args…>` to completion.
Result visor(const std::vector<std::string>& args, const RunOptions& options = {});

/// A `visor serve` running in the background until stopped (SIGTERM).
class Serving {
 public:
  Serving(const std::vector<std::string>& args, const RunOptions& options = {});
  ~Serving();
  /// The port from "serving on http://127.0.0.1:PORT/", waiting for it;
  /// 0 when the process ended or never said it.
  std::uint16_t port(std::chrono::seconds wait = std::chrono::seconds(30));
  pid_t pid() const { return pid_; }
  /// What it wrote to stderr so far.
  std::string errors() const;
  /// SIGTERM and wait; the exit code.
  int stop();

 private:
  pid_t pid_ = -1;
  fs::path out_, err_;
  std::unique_ptr<TempDir> dir_;
};

/// The octal permission bits of a path ("0600").
std::string mode_of(const fs::path& p);

/// The logged-in name of the effective user (what the CLI's audit label uses).
std::string os_user();

}  // namespace visor::opstest
