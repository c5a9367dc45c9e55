#include "common/net/probe.hpp"

#include "common/net/probe_file.hpp"
#include "common/net/probe_http.hpp"
#include "common/net/probe_tcp.hpp"
#include "common/net/url.hpp"

namespace ballast::probe {

std::unique_ptr<Probe> make_probe(const Url& url, TlsConnect tls) {
  if (url.scheme == "http" || url.scheme == "https") return make_http_probe(url, tls);
  if (url.scheme == "file") return make_file_probe(url);
  return make_connect_probe(url);
}

}  // namespace ballast::probe
