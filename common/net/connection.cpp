#include "common/net/connection.hpp"

namespace ballast {

std::unique_ptr<Connection> Connection::open(const Url& url, const probe::Settings& settings,
                                             TlsConnect tls, bool use_tls, bool h2,
                                             std::string& error) {
  const Deadline deadline(settings.timeout);
  ConnectError cerr;
  Fd fd = connect_tcp(url.host, url.port, deadline, cerr);
  if (!fd) {
    error = cerr.message;
    return nullptr;
  }
  auto c = std::make_unique<Connection>(std::move(fd), deadline);
  if (use_tls) {
    TlsOptions o{url.host, settings.tls};
    o.h2 = h2;
    c->tls_ = tls(c->socket_, o, error);
    if (!c->tls_) return nullptr;
  }
  return c;
}

}  // namespace ballast
