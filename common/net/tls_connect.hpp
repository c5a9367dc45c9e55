#pragma once

#include <memory>
#include <string>

#include "common/net/socket.hpp"

namespace ballast {

struct TlsOptions {
  std::string server_name;  // verified against the certificate unless it is an IP literal
  std::string ca_file;    // PEM bundle; "" = the system store (/etc/ssl/certs/ca-certificates.crt)
  bool insecure = false;  // skip certificate verification
  bool h2 = false;        // offer HTTP/2 by ALPN ("h2"), as gRPC over TLS requires
};

// Opens TLS over a connected socket within the socket's deadline; nullptr with `error` set on
// failure. The probes take one from the binary's main() (healthcheck passes
// TlsStream::connect, from ballast_tls); with none, https:// targets are refused, and the
// binary does not link a TLS library at all.
using TlsConnect = std::unique_ptr<ByteStream> (*)(SocketStream& socket, const TlsOptions& options,
                                                   std::string& error);

}  // namespace ballast
