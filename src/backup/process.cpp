#include "backup/process.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>

#include "util/error.hpp"

extern char** environ;

namespace visor::backup {
namespace {

// Closes descriptors on every path.
struct Fd {
  int fd = -1;
  ~Fd() { reset(); }
  void reset() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

struct Child {
  pid_t pid = -1;
  Fd pipe;     // our end: its stdout (reading) or its stdin (writing)
  Fd errors;   // a temporary file holding its stderr
};

std::string read_errors(int fd) {
  std::string out(4096, '\0');
  const ssize_t n = ::pread(fd, out.data(), out.size(), 0);
  out.resize(n > 0 ? std::size_t(n) : 0);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

Child start(const Command& command, bool child_writes) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw Error(ErrorCode::unavailable, "Cannot create a pipe.");
  Fd ours{child_writes ? fds[0] : fds[1]};
  Fd theirs{child_writes ? fds[1] : fds[0]};
  char name[] = "/tmp/visor-child-XXXXXX";
  Fd errors{::mkostemp(name, O_CLOEXEC)};
  if (errors.fd < 0) throw Error(ErrorCode::unavailable, "Cannot create a temporary file.");
  ::unlink(name);

  std::vector<std::string> env_text;
  for (char** e = environ; *e; ++e) env_text.emplace_back(*e);
  for (const auto& [k, v] : command.env) env_text.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& e : env_text) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_text{command.program};
  argv_text.insert(argv_text.end(), command.args.begin(), command.args.end());
  std::vector<char*> argv;
  for (auto& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, theirs.fd, child_writes ? STDOUT_FILENO : STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, errors.fd, STDERR_FILENO);
  pid_t pid = -1;
  const int rc = ::posix_spawnp(&pid, command.program.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0)
    throw Error(ErrorCode::unavailable, "Cannot run " + command.program + ": " + std::strerror(rc) +
                                            " (install Debian's postgresql-client).");
  Child c;
  c.pid = pid;
  c.pipe.fd = ours.fd;
  ours.fd = -1;
  c.errors.fd = errors.fd;
  errors.fd = -1;
  return c;
}

void finish(Child& c, const Command& command) {
  c.pipe.reset();
  int status = 0;
  while (::waitpid(c.pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return;
  const std::string errors = read_errors(c.errors.fd);
  throw Error(ErrorCode::unavailable, command.program + " failed" + (errors.empty() ? "." : ": " + errors));
}

}  // namespace

void run_reading(const Command& command, const std::function<void(std::string_view)>& sink) {
  Child c = start(command, true);
  std::string buffer(1 << 16, '\0');
  try {
    while (true) {
      const ssize_t n = ::read(c.pipe.fd, buffer.data(), buffer.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw Error(ErrorCode::unavailable, "Cannot read from " + command.program + ".");
      if (n == 0) break;
      sink(std::string_view(buffer.data(), std::size_t(n)));
    }
  } catch (...) {
    ::kill(c.pid, SIGTERM);
    c.pipe.reset();
    ::waitpid(c.pid, nullptr, 0);
    throw;
  }
  finish(c, command);
}

void run_writing(const Command& command, const std::function<std::string()>& source) {
  // A child that exits early must not kill us with SIGPIPE.
  struct sigaction ignore {}, previous {};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGPIPE, &ignore, &previous);
  Child c = start(command, false);
  bool broken = false;
  try {
    for (std::string piece = source(); !piece.empty() && !broken; piece = source()) {
      std::string_view rest = piece;
      while (!rest.empty()) {
        const ssize_t n = ::write(c.pipe.fd, rest.data(), rest.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
          broken = true;  // the child stopped reading: its exit status says why
          break;
        }
        rest.remove_prefix(std::size_t(n));
      }
    }
  } catch (...) {
    ::kill(c.pid, SIGTERM);
    c.pipe.reset();
    ::waitpid(c.pid, nullptr, 0);
    ::sigaction(SIGPIPE, &previous, nullptr);
    throw;
  }
  ::sigaction(SIGPIPE, &previous, nullptr);
  finish(c, command);
  if (broken) throw Error(ErrorCode::unavailable, command.program + " stopped reading its input.");
}

}  // namespace visor::backup
