#pragma once

#include <memory>
#include <string>

#include "common/net/probe.hpp"
#include "common/net/socket.hpp"
#include "common/net/tls_connect.hpp"
#include "common/net/url.hpp"

namespace ballast {

// A probe's connection to URL's host and port within one deadline: TCP, then TLS when asked
// (through `tls`, with the probe settings' --cacert/--insecure). The TLS stream points into
// the socket, so the pair lives on the heap and never moves.
class Connection {
 public:
  // nullptr with `error` set ("connect refused", "certificate verify failed: ...").
  static std::unique_ptr<Connection> open(const Url& url, const probe::Settings& settings,
                                          TlsConnect tls, bool use_tls, bool h2,
                                          std::string& error);
  ByteStream& stream() { return tls_ ? *tls_ : static_cast<ByteStream&>(socket_); }

  Connection(Fd fd, const Deadline& deadline) : socket_(std::move(fd), deadline) {}

 private:
  SocketStream socket_;
  std::unique_ptr<ByteStream> tls_;
};

}  // namespace ballast
