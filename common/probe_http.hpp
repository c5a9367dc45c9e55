#pragma once

#include <memory>

#include "common/probe.hpp"
#include "common/url.hpp"

namespace ballast::probe {

// http:// and https:// targets, spoken by Boost.Beast. Never follows a redirect (a 3xx is
// judged by the status rule), never reads proxy settings, tries every address the host
// resolves to, reads at most kMaxBody bytes of body, and finishes within settings.timeout.
// Throws UsageError for a URL with credentials (send them with --header Authorization).
// https:// needs enable_https() first; without it an https target is a UsageError
// (entrypoint keeps TLS out to stay small).
std::unique_ptr<Probe> make_http_probe(const Url& url);

// Makes https:// targets available in this process (links mbedTLS in).
void enable_https();

}  // namespace ballast::probe
