#include "tiny_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace visor::odoo::testing {
namespace {

int listen_loopback(int& port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 16) != 0) {
    ::close(fd);
    throw std::runtime_error("bind/listen failed");
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  port = ntohs(addr.sin_port);
  return fd;
}

std::size_t content_length(const std::string& head) {
  for (const std::string_view key : {"Content-Length:", "content-length:"}) {
    const auto at = head.find(key);
    if (at != std::string::npos) return std::stoul(head.substr(at + key.size()));
  }
  return 0;
}

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const auto n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

TinyServer::TinyServer(Handler handler) : handler_(std::move(handler)) {
  listen_fd_ = listen_loopback(port_);
  if (::pipe(stop_pipe_) != 0) throw std::runtime_error("pipe failed");
  acceptor_ = std::thread([this] { accept_loop(); });
}

TinyServer::~TinyServer() {
  (void)::write(stop_pipe_[1], "x", 1);
  acceptor_.join();
  {
    std::lock_guard lock(mutex_);
    for (int fd : fds_) ::shutdown(fd, SHUT_RDWR);
  }
  for (auto& t : threads_) t.join();
  for (int fd : fds_) ::close(fd);
  ::close(listen_fd_);
  ::close(stop_pipe_[0]);
  ::close(stop_pipe_[1]);
}

TinyServer::Reply TinyServer::respond(int status, std::string content_type, std::string body, std::string extra) {
  std::string raw = "HTTP/1.1 " + std::to_string(status) + " X\r\n";
  if (!content_type.empty()) raw += "Content-Type: " + content_type + "\r\n";
  raw += extra;
  raw += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  return Reply{Action::respond, std::move(raw)};
}

// Waits for data on fd or for the stop signal; false when stopping.
bool TinyServer::wait_readable(int fd) const {
  pollfd fds[2] = {{fd, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
  while (::poll(fds, 2, -1) < 0) {
  }
  return (fds[1].revents & POLLIN) == 0;
}

void TinyServer::accept_loop() {
  while (wait_readable(listen_fd_)) {
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    ++connections_;
    std::lock_guard lock(mutex_);
    fds_.push_back(fd);
    threads_.emplace_back([this, fd] { serve(fd); });
  }
}

void TinyServer::serve(int fd) {
  std::string buffer;
  char chunk[16384];
  for (;;) {
    auto head_end = buffer.find("\r\n\r\n");
    while (head_end == std::string::npos || buffer.size() < head_end + 4 + content_length(buffer.substr(0, head_end))) {
      if (!wait_readable(fd)) return;
      const auto n = ::recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0) return;
      buffer.append(chunk, static_cast<std::size_t>(n));
      head_end = buffer.find("\r\n\r\n");
    }
    const auto head = buffer.substr(0, head_end);
    const auto length = content_length(head);
    const auto body = buffer.substr(head_end + 4, length);
    buffer.erase(0, head_end + 4 + length);
    const auto reply = handler_(head, body);
    if (reply.action == Action::close) {
      ::shutdown(fd, SHUT_RDWR);
      return;
    }
    if (reply.action == Action::hang) {
      while (wait_readable(fd)) {
        if (::recv(fd, chunk, sizeof chunk, 0) <= 0) return;
      }
      return;
    }
    if (!write_all(fd, reply.raw)) return;
    if (reply.action == Action::respond_then_close) {
      ::shutdown(fd, SHUT_RDWR);
      return;
    }
  }
}

int unused_port() {
  int port = 0;
  const int fd = listen_loopback(port);
  ::close(fd);
  return port;
}

}  // namespace visor::odoo::testing
