#pragma once

#include <memory>

#include "common/net/probe.hpp"
#include "common/net/tls_connect.hpp"
#include "common/net/url.hpp"

namespace ballast::probe {

// http:// and https:// targets, spoken by Boost.Beast. Never follows a redirect (a 3xx is
// judged by the status rule), never reads proxy settings, tries every address the host
// resolves to, reads at most kMaxBody bytes of body, and finishes within settings.timeout.
// Throws UsageError for a URL with credentials (send them with --header Authorization).
// https:// needs `tls`; without one an https target is a UsageError (entrypoint keeps TLS
// out to stay small).
std::unique_ptr<Probe> make_http_probe(const Url& url, TlsConnect tls);

}  // namespace ballast::probe
