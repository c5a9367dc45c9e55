#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/cli.hpp"
#include "common/env.hpp"
#include "common/net/http_expect.hpp"
#include "common/net/pg_auth.hpp"
#include "common/net/tls_connect.hpp"
#include "common/net/url.hpp"

namespace ballast::probe {

// The outcome of probing one target once.
struct Result {
  bool healthy = false;
  std::string target;  // as shown: "GET http://127.0.0.1:3000/api/health", "tcp://db:5432"
  std::string detail;  // "-> 200", "connect refused", "stale: modified 75s ago (max 60s)"
  std::chrono::nanoseconds elapsed{0};
  // The same facts apart, for --json: "GET"/"HEAD" ("" for other kinds), the URL as shown
  // (never its userinfo), and the HTTP status (0 when none arrived).
  std::string method = {};
  std::string url = {};
  unsigned status = 0;
};

// What an HTTP(S) probe sends and expects.
struct HttpSettings {
  std::string method = "GET";  // GET or HEAD
  std::vector<std::pair<std::string, std::string>>
      headers;          // a Host header here replaces the URL's
  StatusRanges status;  // default 200-399
  std::vector<JsonExpectation> expect_json;
  std::optional<std::string> expect_body;  // the body must contain this
  std::string unix_socket;                 // connect here instead of the URL's host
};

// Settings shared by every kind of target.
struct Settings {
  std::chrono::milliseconds timeout{
      5000};  // deadline for one probe: resolve, connect, TLS, request, body
  std::chrono::milliseconds max_age{60000};  // file:// heartbeat freshness
  HttpSettings http;
  TlsSettings tls;  // https, rediss, grpcs, PostgreSQL logins
};

// One target that can be probed repeatedly (healthcheck, entrypoint --wait).
class Probe {
 public:
  virtual ~Probe() = default;
  // Probes once within settings.timeout. Never throws for an unhealthy target; the Result says why.
  virtual Result run(const Settings& settings) = 0;
};

// What a binary's main() links in for the probes that need more than sockets. A binary that
// hands in none (entrypoint) links no TLS library and no crypto.
using ProbeStart = std::unique_ptr<Probe> (*)(const Url& url, TlsConnect tls);
struct Links {
  TlsConnect tls = nullptr;       // https://, rediss://, grpcs://, PostgreSQL logins over TLS
  PgAuthStart pg_auth = nullptr;  // postgres:// URLs with a password
  ProbeStart grpc = nullptr;      // grpc:// and grpcs:// (HTTP/2 through nghttp2)
};

// Builds the probe for a parsed target URL (parse_url): http://, https:// (with `tls`),
// tcp://HOST:PORT, unix:///PATH (a connect to a unix stream socket) or file:///PATH (a
// heartbeat). Throws UsageError naming the target for https:// without `tls`.
std::unique_ptr<Probe> make_probe(const Url& url, const Links& links = {});

// The targets given for a repeatable option whose environment form is space-separated
// (HEALTHCHECK_URL, ENTRYPOINT_WAIT): as parsed, except that a variable holding one libpq
// keyword/value string ("host=db dbname=app", a DATABASE_URL) is one target, spaces and all.
std::vector<std::string> targets_of(const cli::Args& args, std::string_view option, const Env& env,
                                    std::string_view variable);

// Builds the probe for a target as a user writes it: a PostgreSQL URL in any spelling
// parse_database_url reads (postgres://, postgresql://, "host=db dbname=app", ...), else a
// URL for parse_url with `bare_scheme` for a target without one. Throws UsageError naming
// the target when it is malformed.
std::unique_ptr<Probe> make_target_probe(std::string_view target, std::string_view bare_scheme,
                                         const Links& links);

// Bodies larger than this are not read further.
inline constexpr std::size_t kMaxBody = 64 * 1024;

}  // namespace ballast::probe
