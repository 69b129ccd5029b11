#include "haproxy.hpp"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

namespace visor::scaletest {
namespace {

// A free loopback port (haproxy cannot report one it picked itself).
std::uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// What `command` on the admin socket answers.
std::string ask(const std::filesystem::path& socket_path, const std::string& command) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", socket_path.c_str());
  std::string out;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    const std::string line = command + "\n";
    if (::send(fd, line.data(), line.size(), MSG_NOSIGNAL) == ssize_t(line.size())) {
      char buf[4096];
      for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) out.append(buf, std::size_t(n));
    }
  }
  ::close(fd);
  return out;
}

}  // namespace

Haproxy::Haproxy(const std::vector<std::uint16_t>& ports) : servers_(ports.size()) {
  std::istringstream shipped(slurp(VISOR_SOURCE_DIR "/deploy/haproxy.cfg"));
  port_ = free_port();
  std::string config, line;
  bool bound = false, served = false;
  while (std::getline(shipped, line)) {
    const auto word = line.find_first_not_of(' ');
    const std::string keyword = word == std::string::npos ? "" : line.substr(word, line.find(' ', word) - word);
    if (keyword == "log" && line.find("/dev/log") != std::string::npos) continue;  // no syslog here
    if (keyword == "bind") {
      if (!bound) config += "    bind 127.0.0.1:" + std::to_string(port_) + "\n";
      bound = true;
      continue;
    }
    if (keyword == "server") {
      if (!served)
        for (std::size_t i = 0; i < ports.size(); ++i)
          config += "    server visor" + std::to_string(i + 1) + " 127.0.0.1:" + std::to_string(ports[i]) + " check\n";
      served = true;
      continue;
    }
    config += line + "\n";
    if (keyword == "global") config += "    stats socket " + (dir_ / "admin.sock").string() + " level admin\n";
  }
  std::ofstream(dir_ / "haproxy.cfg") << config;
  pid_ = ::fork();
  if (pid_ == 0) {
    const std::string out = (dir_ / "out").string();
    std::freopen(out.c_str(), "w", stdout);
    std::freopen(out.c_str(), "a", stderr);
    const std::string cfg = (dir_ / "haproxy.cfg").string();
    ::execlp("haproxy", "haproxy", "-db", "-f", cfg.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  if (!wait_all("UP", std::chrono::seconds(20))) port_ = 0;
}

Haproxy::~Haproxy() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
  }
}

std::string Haproxy::errors() const { return slurp(dir_ / "out"); }

std::string Haproxy::state(int n) const {
  // "show stat" CSV: pxname,svname,…; the 18th field is the status.
  std::istringstream csv(ask(dir_ / "admin.sock", "show stat"));
  const std::string name = "visor,visor" + std::to_string(n) + ",";
  for (std::string row; std::getline(csv, row);) {
    if (row.rfind(name, 0) != 0) continue;
    std::istringstream fields(row);
    std::string field;
    for (int i = 0; i < 18 && std::getline(fields, field, ','); ++i) {
    }
    return field.substr(0, field.find(' '));
  }
  return "";
}

bool Haproxy::wait_state(int n, const std::string& want, std::chrono::seconds limit) const {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (state(n) == want) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // haproxy's checks run on its clock
  }
  return false;
}

bool Haproxy::wait_all(const std::string& want, std::chrono::seconds limit) const {
  for (std::size_t i = 1; i <= servers_; ++i)
    if (!wait_state(int(i), want, limit)) return false;
  return true;
}

}  // namespace visor::scaletest
