#pragma once

#include <string>
#include <string_view>

namespace ballast {

// The parts of a probe target URL.
struct Url {
  std::string scheme;    // "http", "https", "tcp", "unix", "file", "redis", "rediss", "grpc"...
  std::string host;      // without brackets for IPv6 literals; "" for unix and file
  std::string port;      // decimal; the scheme's default when the URL has none
  std::string target;    // path and query for http(s), "/" when absent; the path for unix/file
  std::string userinfo;  // "user:pass" when present (never shown: see display())

  // The URL as it may be shown in logs and probe output: no userinfo.
  std::string display() const;
  // "host:port", bracketing IPv6 literals, as a Host header wants it (port omitted when default).
  std::string host_header() const;
};

// Parses http://, https://, tcp://, unix://, file://, redis://, rediss://, grpc:// and grpcs://
// URLs. A target without
// a scheme
// ("localhost:8080/health", "db:5432") gets `bare_scheme`: "http" as curl reads it, "tcp" as
// wait-for-it does. Surrounding white space (a CRLF env file) is dropped; a control character
// or space inside is refused, so no target can split a request. Throws UsageError naming
// `url` and saying what is wrong (missing host, bad port, unknown scheme).
Url parse_url(std::string_view url, std::string_view bare_scheme = "http");

// True when `host` is an IPv4 or IPv6 literal.
bool is_ip_literal(std::string_view host);

}  // namespace ballast
