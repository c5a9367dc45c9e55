#include "common/net/socket.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <boost/asio/error.hpp>
#include <cerrno>
#include <cstring>
#include <memory>

#include "common/net/url.hpp"

namespace ballast {
namespace {

struct AddrInfoFree {
  void operator()(addrinfo* a) const { freeaddrinfo(a); }
};

// Waits for `events` on `fd` until the deadline. Returns 0 when ready, ETIMEDOUT or errno.
int wait_for(int fd, short events, const Deadline& deadline) {
  for (;;) {
    pollfd p{fd, events, 0};
    const int r = ::poll(&p, 1, deadline.remaining_ms());
    if (r > 0) return 0;
    if (r == 0) return ETIMEDOUT;
    if (errno != EINTR) return errno;
  }
}

std::string describe_connect_error(int err, const Deadline& deadline,
                                   std::chrono::steady_clock::time_point start) {
  if (err == ECONNREFUSED) return "connect refused";
  if (err == ETIMEDOUT) {
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline.at() - start).count();
    return fmt::format("no connection within {}ms", ms);
  }
  return fmt::format("connect failed: {}", std::strerror(err));
}

// Starts a non-blocking connect and waits for it. Returns 0 or the errno of the failure.
int connect_fd(int fd, const sockaddr* addr, socklen_t len, const Deadline& deadline) {
  if (::connect(fd, addr, len) == 0) return 0;
  if (errno != EINPROGRESS && errno != EINTR) return errno;
  if (const int w = wait_for(fd, POLLOUT, deadline); w != 0) return w;
  int err = 0;
  socklen_t err_len = sizeof err;
  if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &err_len) != 0) return errno;
  return err;
}

// Resolves HOST:PORT for one address family (AF_UNSPEC for all).
std::unique_ptr<addrinfo, AddrInfoFree> resolve(const std::string& host, const std::string& port,
                                                int family, int& rc) {
  addrinfo hints{};
  hints.ai_family = family;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;  // no AI_ADDRCONFIG: it drops ::1 where no global IPv6 exists
  addrinfo* raw = nullptr;
  rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &raw);
  return std::unique_ptr<addrinfo, AddrInfoFree>(rc == 0 ? raw : nullptr);
}

}  // namespace

int Deadline::remaining_ms() const {
  const auto left = at_ - std::chrono::steady_clock::now();
  if (left <= std::chrono::steady_clock::duration::zero()) return 0;
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(left).count() + 1;
  return ms > 0x7fffffff ? 0x7fffffff : static_cast<int>(ms);
}

Fd connect_tcp(const std::string& host, const std::string& port, const Deadline& deadline,
               ConnectError& error) {
  const auto start = std::chrono::steady_clock::now();
  int rc = 0;
  auto list = resolve(host, port, AF_UNSPEC, rc);
  if (rc != 0) {
    error = {std::make_error_code(std::errc::host_unreachable),
             fmt::format("cannot resolve {}: {}", host,
                         rc == EAI_SYSTEM ? std::strerror(errno) : gai_strerror(rc))};
    return Fd();
  }
  int last = ECONNREFUSED;
  bool seen_v4 = false;
  bool seen_v6 = false;
  const auto try_all = [&](const addrinfo* a) -> Fd {
    for (; a != nullptr; a = a->ai_next) {
      seen_v4 = seen_v4 || a->ai_family == AF_INET;
      seen_v6 = seen_v6 || a->ai_family == AF_INET6;
      Fd fd(::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol));
      if (!fd) {
        last = errno;
        continue;
      }
      last = connect_fd(fd.get(), a->ai_addr, a->ai_addrlen, deadline);
      if (last == 0) {
        // A probe's few small writes (a TLS handshake's flights, a request) must not wait on
        // Nagle and the peer's delayed ACK: 40 ms each on Linux.
        const int one = 1;
        ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        return fd;
      }
      if (last == ETIMEDOUT) break;  // the deadline is spent: no time for the next address
    }
    return Fd();
  };
  if (Fd fd = try_all(list.get())) return fd;
  // glibc without "multi on" in /etc/host.conf (a scratch image has none) returns only the
  // first /etc/hosts line for a name, so "localhost" may come back as ::1 alone while the app
  // listens on 127.0.0.1 only (BusyBox wget fails there). Ask for the missing family too.
  if (last != ETIMEDOUT && !is_ip_literal(host) && seen_v4 != seen_v6) {
    auto other = resolve(host, port, seen_v4 ? AF_INET6 : AF_INET, rc);
    if (rc == 0)
      if (Fd fd = try_all(other.get())) return fd;
  }
  error = {std::error_code(last, std::generic_category()),
           describe_connect_error(last, deadline, start)};
  return Fd();
}

Fd connect_unix(const std::string& path, const Deadline& deadline, ConnectError& error) {
  const auto start = std::chrono::steady_clock::now();
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) {
    error = {std::make_error_code(std::errc::filename_too_long),
             fmt::format("socket path too long: {}", path)};
    return Fd();
  }
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) {
    error = {std::error_code(errno, std::generic_category()),
             fmt::format("socket: {}", std::strerror(errno))};
    return Fd();
  }
  const int err =
      connect_fd(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr, deadline);
  if (err == 0) return fd;
  error = {std::error_code(err, std::generic_category()),
           err == ENOENT ? fmt::format("no socket at {}", path)
                         : describe_connect_error(err, deadline, start)};
  return Fd();
}

namespace {

// Waits for `events` until the deadline; on failure sets `ec` (asio's timed_out for the
// deadline) and returns false.
bool wait_or_fail(int fd, short events, const Deadline& deadline, boost::system::error_code& ec) {
  const int w = wait_for(fd, events, deadline);
  if (w == 0) return true;
  ec = w == ETIMEDOUT ? boost::system::error_code(boost::asio::error::timed_out)
                      : boost::system::error_code(w, boost::system::system_category());
  return false;
}

// Repeats `attempt` (one recv or send) until it moves bytes, fails, or the deadline passes,
// waiting for `events` whenever the socket would block.
template <typename Attempt>
std::size_t transfer(int fd, short events, const Deadline& deadline, boost::system::error_code& ec,
                     Attempt attempt) {
  for (;;) {
    const ssize_t n = attempt();
    if (n >= 0) {
      ec = {};
      return static_cast<std::size_t>(n);
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN) {  // EWOULDBLOCK is EAGAIN on Linux
      ec.assign(errno, boost::system::system_category());
      return 0;
    }
    if (!wait_or_fail(fd, events, deadline, ec)) return 0;
  }
}

}  // namespace

std::size_t SocketStream::read(void* data, std::size_t size, boost::system::error_code& ec) {
  // Right after a request the answer is never there yet: wait first, and save the recv that
  // would only say EAGAIN.
  if (just_wrote_) {
    just_wrote_ = false;
    if (!wait_or_fail(fd_.get(), POLLIN, deadline_, ec)) return 0;
  }
  return transfer(fd_.get(), POLLIN, deadline_, ec,
                  [&] { return ::recv(fd_.get(), data, size, 0); });
}

std::size_t SocketStream::write(const void* data, std::size_t size, boost::system::error_code& ec) {
  const std::size_t n = transfer(fd_.get(), POLLOUT, deadline_, ec,
                                 [&] { return ::send(fd_.get(), data, size, MSG_NOSIGNAL); });
  if (!ec) just_wrote_ = true;
  return n;
}

}  // namespace ballast
