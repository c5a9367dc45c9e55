#pragma once

#include <boost/system/error_code.hpp>
#include <memory>
#include <string>

#include "common/net/socket.hpp"
#include "common/net/tls_connect.hpp"

namespace ballast {

// TLS (1.3 and 1.2, through mbedTLS 3.6) over a SocketStream. mbedTLS rather than OpenSSL: the
// smallest static OpenSSL 3 client (SSL_connect and verification, -Os, --gc-sections, stripped)
// is 4.9 MB by itself, twice healthcheck's whole 2.5 MiB budget, where mbedTLS costs about
// 0.4 MiB. The price: no Ed25519 certificates (no mbedTLS release verifies them).
class TlsStream final : public ByteStream {
 public:
  ~TlsStream() override;
  TlsStream(const TlsStream&) = delete;
  TlsStream& operator=(const TlsStream&) = delete;

  // A TlsConnect: performs the handshake within the socket's deadline. Returns nullptr and sets
  // `error`
  // ("certificate verify failed: The certificate is not correctly signed by the trusted CA",
  // "no CA certificates: ...") on failure.
  static std::unique_ptr<ByteStream> connect(SocketStream& socket, const TlsOptions& options,
                                             std::string& error);

  std::size_t read(void* data, std::size_t size, boost::system::error_code& ec) override;
  std::size_t write(const void* data, std::size_t size, boost::system::error_code& ec) override;

  struct State;  // mbedTLS contexts; defined in the .cpp so its headers stay there

 private:
  explicit TlsStream(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace ballast
