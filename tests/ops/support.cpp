#include "support.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace visor::opstest {
namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Spawns visor with stdin from a file and stdout/stderr into files.
pid_t spawn(const std::vector<std::string>& args, const RunOptions& o, const fs::path& in, const fs::path& out,
            const fs::path& err) {
  std::ofstream(in) << o.stdin_text;
  std::vector<std::string> argv_text;
  if (o.shell_prefix.empty()) {
    argv_text.push_back(VISOR_BINARY);
    argv_text.insert(argv_text.end(), args.begin(), args.end());
  } else {
    std::string command = o.shell_prefix + " exec '" VISOR_BINARY "'";
    for (const auto& a : args) command += " '" + a + "'";
    argv_text = {"/bin/sh", "-c", command};
  }
  std::map<std::string, std::string> env;
  for (char** e = environ; *e; ++e) {
    const std::string kv = *e;
    const auto eq = kv.find('=');
    if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  for (const auto& name : o.unset) env.erase(name);
  for (const auto& [k, v] : o.env) env[k] = v;
  std::vector<std::string> env_text;
  for (const auto& [k, v] : env) env_text.push_back(k + "=" + v);
  std::vector<char*> argv, envp;
  for (auto& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env_text) envp.push_back(e.data());
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, in.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot run visor");
  return pid;
}

}  // namespace

TempDir::TempDir() {
  std::string tmpl = (fs::temp_directory_path() / "visor-ops-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

Result visor(const std::vector<std::string>& args, const RunOptions& o) {
  TempDir io;
  const pid_t pid = spawn(args, o, io / "in", io / "out", io / "err");
  Result r;
  const auto deadline = std::chrono::steady_clock::now() + o.timeout;
  int status = 0;
  while (true) {
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) {
      r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      break;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // polling a child: no event to wait on
  }
  r.out = slurp(io / "out");
  r.err = slurp(io / "err");
  return r;
}

Serving::Serving(const std::vector<std::string>& args, const RunOptions& o) : dir_(std::make_unique<TempDir>()) {
  out_ = *dir_ / "out";
  err_ = *dir_ / "err";
  std::vector<std::string> full{"serve"};
  full.insert(full.end(), args.begin(), args.end());
  pid_ = spawn(full, o, *dir_ / "in", out_, err_);
}

Serving::~Serving() { stop(); }

std::uint16_t Serving::port(std::chrono::seconds wait) {
  static const std::regex kServing("serving on https?://[^:]+:([0-9]+)/");
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (std::chrono::steady_clock::now() < deadline) {
    std::smatch m;
    const std::string text = slurp(out_);
    if (std::regex_search(text, m, kServing)) return std::uint16_t(std::stoi(m[1]));
    int status = 0;
    if (pid_ < 0 || ::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return 0;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return 0;
}

std::string Serving::errors() const { return slurp(err_); }

int Serving::stop() {
  if (pid_ < 0) return 0;
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string mode_of(const fs::path& p) {
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) return "missing";
  char text[8];
  std::snprintf(text, sizeof text, "%04o", unsigned(st.st_mode & 07777));
  return text;
}

std::string os_user() {
  const passwd* pw = ::getpwuid(::geteuid());
  return pw ? pw->pw_name : "uid " + std::to_string(::geteuid());
}

}  // namespace visor::opstest
