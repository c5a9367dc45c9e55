#pragma once

#include <memory>
#include <string>

#include "common/net/socket.hpp"

namespace ballast {

// What the user says about TLS, for every kind of target (--cacert, --insecure, --cert, --key,
// --cert-min-days).
struct TlsSettings {
  std::string ca_file;    // PEM bundle or a folder of them; "" = the system store
  bool insecure = false;  // skip certificate verification
  std::string cert_file;  // a client certificate (PEM) for servers that ask for one (mTLS)
  std::string key_file;   // its private key (PEM, unencrypted); "" = in cert_file
  int min_days = -1;      // the server's certificate must be valid this many days more; -1: no
};

struct TlsOptions {
  std::string server_name;  // verified against the certificate unless it is an IP literal
  TlsSettings settings;
  bool h2 = false;  // offer HTTP/2 by ALPN ("h2"), as gRPC over TLS requires
};

// Opens TLS over a connected socket within the socket's deadline; nullptr with `error` set on
// failure. The probes take one from the binary's main() (healthcheck passes
// TlsStream::connect, from ballast_tls); with none, https:// targets are refused, and the
// binary does not link a TLS library at all.
using TlsConnect = std::unique_ptr<ByteStream> (*)(SocketStream& socket, const TlsOptions& options,
                                                   std::string& error);

}  // namespace ballast
