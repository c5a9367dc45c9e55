#include "common/probe.hpp"

#include "common/probe_file.hpp"
#include "common/probe_http.hpp"
#include "common/probe_tcp.hpp"
#include "common/url.hpp"

namespace ballast::probe {

std::unique_ptr<Probe> make_probe(const std::string& target) {
  return make_probe(parse_url(target));  // throws UsageError for anything malformed
}

std::unique_ptr<Probe> make_probe(const Url& url) {
  if (url.scheme == "http" || url.scheme == "https") return make_http_probe(url);
  if (url.scheme == "file") return make_file_probe(url);
  return make_connect_probe(url);
}

}  // namespace ballast::probe
