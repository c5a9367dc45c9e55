#pragma once

#include <boost/system/error_code.hpp>
#include <chrono>
#include <string>
#include <system_error>

#include "common/fd.hpp"
#include "common/net/sync_stream.hpp"

// Sockets with one deadline for every step, for probes.
//
// Written on poll(2) rather than Asio: Asio's synchronous operations have no deadline, and its
// asynchronous ones bring an io_context and handler machinery that a one-shot probe does not
// need. A non-blocking socket plus poll gives connect, TLS and HTTP the remaining time of one
// deadline each. Boost.Beast still speaks HTTP over it (SocketStream is a Beast sync stream).
namespace ballast {

// A point in time every step of a probe must finish by.
class Deadline {
 public:
  explicit Deadline(std::chrono::milliseconds from_now)
      : at_(std::chrono::steady_clock::now() + from_now) {}
  // Milliseconds left, rounded up, never negative (0 = expired); for poll(2).
  int remaining_ms() const;
  std::chrono::steady_clock::time_point at() const { return at_; }

 private:
  std::chrono::steady_clock::time_point at_;
};

// Why a connection attempt failed, in the words a probe line uses.
struct ConnectError {
  std::error_code code;  // ECONNREFUSED, ETIMEDOUT, ENOENT, ...
  std::string message;   // "connect refused", "no answer within 5000ms", "cannot resolve db: ..."
};

// Connects to HOST:PORT, trying every address it resolves to in order (so "localhost" tries
// ::1 and then 127.0.0.1), each with what is left of `deadline`. Never reads proxy settings.
// Returns an invalid Fd and fills `error` on failure.
Fd connect_tcp(const std::string& host, const std::string& port, const Deadline& deadline,
               ConnectError& error);

// Connects to the unix stream socket at `path` within `deadline`.
Fd connect_unix(const std::string& path, const Deadline& deadline, ConnectError& error);

// A byte stream with a deadline, as Beast wants it (SyncReadStream/SyncWriteStream). Virtual so
// that one HTTP code path serves plain and TLS streams, and a binary that never registers TLS
// (entrypoint) does not link it.
class ByteStream : public SyncStream<ByteStream> {
 public:
  virtual ~ByteStream() = default;
  // Raw byte I/O; 0 from read without error means the peer closed. A deadline that passes
  // gives boost::asio::error::timed_out.
  virtual std::size_t read(void* data, std::size_t size, boost::system::error_code& ec) = 0;
  virtual std::size_t write(const void* data, std::size_t size, boost::system::error_code& ec) = 0;
};

// A connected non-blocking socket: every read and write waits at most until the deadline.
class SocketStream final : public ByteStream {
 public:
  SocketStream(Fd fd, const Deadline& deadline) : fd_(std::move(fd)), deadline_(deadline) {}

  std::size_t read(void* data, std::size_t size, boost::system::error_code& ec) override;
  std::size_t write(const void* data, std::size_t size, boost::system::error_code& ec) override;

 private:
  Fd fd_;
  Deadline deadline_;
  bool just_wrote_ = false;
};

}  // namespace ballast
