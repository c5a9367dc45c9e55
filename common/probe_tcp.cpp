#include "common/probe_tcp.hpp"

#include <fmt/format.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <charconv>
#include <chrono>

#include "common/error.hpp"

namespace ballast::probe {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

class TcpProbe final : public Probe {
 public:
  TcpProbe(std::string target, std::string host, std::string port)
      : target_(std::move(target)), host_(std::move(host)), port_(std::move(port)) {}

  Result run(const Settings& settings) override {
    const auto start = std::chrono::steady_clock::now();
    Result r{false, target_, "", {}};
    asio::io_context io;
    tcp::resolver resolver(io);
    tcp::socket socket(io);
    asio::steady_timer deadline(io, settings.timeout);
    bool timed_out = false;
    deadline.async_wait([&](boost::system::error_code ec) {
      if (ec) return;
      timed_out = true;
      resolver.cancel();
      socket.close();
    });
    boost::system::error_code result = asio::error::would_block;
    // Resolution is synchronous: Asio resolves asynchronously only on a helper thread, which
    // a single-threaded probe does not start. Numeric hosts and /etc/hosts names resolve
    // without waiting; a DNS name is bounded by resolv.conf's timeout.
    boost::system::error_code rec;
    const auto endpoints = resolver.resolve(host_, port_, rec);
    if (rec) {
      result = rec;
      deadline.cancel();
    } else {
      asio::async_connect(socket, endpoints,
                          [&](boost::system::error_code cec, const tcp::endpoint&) {
                            result = cec;
                            deadline.cancel();
                          });
    }
    io.run();
    if (timed_out) {
      r.detail = fmt::format("no connection within {}ms", settings.timeout.count());
    } else if (result) {
      r.detail = result == asio::error::connection_refused ? "connect refused"
                                                           : "connect failed: " + result.message();
    } else {
      r.healthy = true;
      r.detail = "connected";
    }
    r.elapsed = std::chrono::steady_clock::now() - start;
    return r;
  }

 private:
  std::string target_;
  std::string host_;
  std::string port_;
};

}  // namespace

std::unique_ptr<Probe> make_tcp_probe(const std::string& target) {
  const auto bad = [&] {
    return UsageError(fmt::format("invalid target '{}': use tcp://HOST:PORT", target));
  };
  std::string_view rest = std::string_view(target).substr(std::string_view("tcp://").size());
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  std::string host;
  std::string_view port;
  if (rest.starts_with("[")) {
    const auto close = rest.find(']');
    if (close == std::string_view::npos || close + 1 >= rest.size() || rest[close + 1] != ':')
      throw bad();
    host = rest.substr(1, close - 1);
    port = rest.substr(close + 2);
  } else {
    const auto colon = rest.rfind(':');
    if (colon == std::string_view::npos) throw bad();
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
  }
  unsigned n = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), n);
  if (host.empty() || ec != std::errc() || end != port.data() + port.size() || n == 0 || n > 65535)
    throw bad();
  return std::make_unique<TcpProbe>(target, std::move(host), std::string(port));
}

}  // namespace ballast::probe
