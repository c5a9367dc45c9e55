#include "healthcheck/options.hpp"

#include <fmt/format.h>
#include <mbedtls/build_info.h>
#include <nghttp2/nghttp2ver.h>

#include <array>

#include "common/build_info.hpp"
#include "common/cli.hpp"
#include "common/duration.hpp"
#include "common/error.hpp"
#include "common/mode.hpp"
#include "common/parse.hpp"
#include "common/program.hpp"
#include "common/text.hpp"

namespace ballast::healthcheck {
namespace {

// For --version: what healthcheck links beyond the common libraries (main() links TLS and
// HTTP/2 in; their headers give the versions).
std::string libraries() {
  return fmt::format("mbedTLS {}, nghttp2 {}, Boost {}", MBEDTLS_VERSION_STRING, NGHTTP2_VERSION,
                     boost_version());
}

constexpr ProgramInfo kInfo{
    "healthcheck",
    "healthcheck [options] TARGET...",
    "Probes each TARGET once for a HEALTHCHECK or a Kubernetes exec probe:\n"
    "  http://HOST[:PORT]/PATH, https://..., tcp://HOST:PORT, unix:///PATH, file:///PATH,\n"
    "  postgres://[USER[:PASSWORD]@]HOST[:PORT]/DB (pg_isready's verdicts; a password logs in),\n"
    "  redis[s]://[[USER]:PASSWORD@]HOST[:PORT][/DB] (PING answers PONG),\n"
    "  grpc[s]://HOST:PORT[/SERVICE] (grpc.health.v1 answers SERVING)\n"
    "  (HOST:PORT/PATH without a scheme is http://). curl's habits work too: -f, -s, -S\n"
    "  (accepted, nothing to change), -m/--max-time, -X/--request, -I/--head.",
    "exit codes: 0 healthy, 1 unhealthy or any error (Docker reserves 2). See docs/healthcheck.md.",
    &libraries,
};

constexpr std::array<cli::Option, 27> kOptions{{
    {"url", 0, "TARGET", "HEALTHCHECK_URL", "a target, as an option (env: space-separated)", true,
     ' '},
    {"timeout", 't', "DURATION", "HEALTHCHECK_TIMEOUT",
     "deadline for the whole probe: 5s, 1.5s, 500ms or seconds (default 5s)", false, 0,
     "max-time m T"},
    {"status", 0, "RANGES", "HEALTHCHECK_STATUS",
     "healthy statuses, e.g. 200 or 200-299,304 (default 200-399)"},
    {"expect-json", 0, "/PTR=VALUE", "HEALTHCHECK_EXPECT_JSON",
     "the JSON body has VALUE at pointer PTR (env: space-separated)", true, ' '},
    {"expect-body", 0, "TEXT", "HEALTHCHECK_EXPECT_BODY", "the body contains TEXT"},
    {"header", 'H', "'NAME: VALUE'", "", "send this header (a Host header replaces the URL's)",
     true},
    {"method", 0, "GET|HEAD", "HEALTHCHECK_METHOD", "request method (default GET)", false, 0,
     "request X"},
    {"head", 'I', "", "", "send HEAD (curl's -I, wget's --spider)", false, 0, "spider"},
    // curl's -f (fail on an error status: always so here), -s and -S (quiet progress meter,
    // show errors: there is no meter and errors are always one line): accepted, no effect.
    {"fail", 'f', "", "", "", false, 0, "s S silent show-error fail-with-body no-progress-meter"},
    {"location",
     'L',
     "",
     "",
     "",
     false,
     0,
     {},
     "a probe never follows redirects (a redirect status is judged by --status): probe the "
     "final URL"},
    {"proxy", 'x', "URL", "", "", false, 0, {}, "a probe never uses a proxy: drop it"},
    // curl's -o/--output and wget's -O: where the body would go; a probe never writes it.
    {"output", 'o', "FILE", "", "", false, 0, "O output-document"},
    {"unix-socket", 0, "PATH", "HEALTHCHECK_UNIX_SOCKET",
     "send http:// requests over this unix socket"},
    {"cacert", 0, "FILE", "HEALTHCHECK_CACERT", "https: trust the CA certificates in FILE"},
    {"insecure", 'k', "", "HEALTHCHECK_INSECURE", "https: do not verify the certificate"},
    {"cert", 'E', "FILE", "HEALTHCHECK_CERT",
     "TLS: present this client certificate (PEM; the key too unless --key)"},
    {"key", 0, "FILE", "HEALTHCHECK_KEY", "TLS: the client certificate's private key (PEM)"},
    {"cert-min-days", 0, "N", "HEALTHCHECK_CERT_MIN_DAYS",
     "TLS: unhealthy when the server's certificate expires within N days"},
    {"max-age", 0, "DURATION", "HEALTHCHECK_MAX_AGE", "file:// heartbeat freshness (default 60s)"},
    {"any", 0, "", "HEALTHCHECK_ANY", "healthy when any target is (default: all must be)"},
    {"wait", 'w', "", "HEALTHCHECK_WAIT", "retry until healthy or --wait-timeout"},
    {"wait-timeout", 0, "DURATION", "HEALTHCHECK_WAIT_TIMEOUT",
     "with --wait: give up after this (default 60s)"},
    {"interval", 0, "DURATION", "HEALTHCHECK_INTERVAL",
     "with --wait: first pause between tries, doubling to 5s (default 1s)"},
    {"json", 0, "", "HEALTHCHECK_JSON", "print one JSON object instead of one line per target"},
    {"quiet", 'q', "", "HEALTHCHECK_QUIET", "print nothing; the exit code says it all"},
    {"verbose", 'v', "", "",
     "with --wait: say on stderr what each try found (at most once a second)"},
    {"no-proxy", 0, "", "", "accepted for curl habits; proxies are never used anyway"},
}};

probe::Settings settings_from(const cli::Args& a) {
  probe::Settings s;
  if (auto v = a.value("timeout")) s.timeout = parse_duration(*v, a.source("timeout"));
  if (s.timeout.count() == 0) throw UsageError("--timeout must be more than 0");
  if (auto v = a.value("max-age")) s.max_age = parse_duration(*v, a.source("max-age"));
  if (auto v = a.value("status"))
    s.http.status = probe::parse_status_ranges(*v, a.source("status"));
  for (const auto& e : a.values("expect-json"))
    s.http.expect_json.push_back(probe::parse_json_expectation(e, a.source("expect-json")));
  s.http.expect_body = a.value("expect-body");
  if (a.flag("head")) s.http.method = "HEAD";
  if (auto v = a.value("method")) {
    if (a.flag("head") && ascii_upper(*v) != "HEAD")
      throw UsageError(
          fmt::format("-I asks for HEAD and {} for {}: give one", a.source("method"), shown(*v)));
    s.http.method = ascii_upper(*v);
    if (s.http.method != "GET" && s.http.method != "HEAD")
      throw UsageError(
          fmt::format("invalid {} '{}': use GET or HEAD", a.source("method"), shown(*v)));
  }
  for (const auto& h : a.values("header")) {
    const auto colon = h.find(':');
    if (colon == std::string::npos || colon == 0)
      throw UsageError(fmt::format("invalid --header '{}': use 'Name: value'", shown(h)));
    std::string value = h.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    s.http.headers.emplace_back(h.substr(0, colon), value);
  }
  if (auto v = a.value("unix-socket")) s.http.unix_socket = *v;
  if (auto v = a.value("cacert")) s.tls.ca_file = *v;
  s.tls.insecure = a.flag("insecure");
  if (auto v = a.value("cert")) s.tls.cert_file = *v;
  if (auto v = a.value("key")) s.tls.key_file = *v;
  if (!s.tls.key_file.empty() && s.tls.cert_file.empty())
    throw UsageError("--key needs --cert (the certificate the key belongs to)");
  if (auto v = a.value("cert-min-days")) {
    const auto n = parse_uint(*v, 0u, 36500u);
    if (!n)
      throw UsageError(fmt::format("invalid {} '{}': use a number of days (0 to 36500)",
                                   a.source("cert-min-days"), shown(*v)));
    s.tls.min_days = static_cast<int>(*n);
  }
  return s;
}

}  // namespace

std::optional<Options> parse_options(std::span<char* const> args, const Env& env) {
  const auto options = with_common_options(kOptions);
  const cli::Args a = cli::parse(options, args, env, cli::Positionals::kInterleaved);
  if (handle_common_options(kInfo, options, a, env)) return std::nullopt;
  Options o;
  o.settings = settings_from(a);
  o.targets = a.positional;
  for (auto& url : probe::targets_of(a, "url", env, "HEALTHCHECK_URL"))
    o.targets.push_back(std::move(url));
  if (o.targets.empty())
    throw UsageError(
        "no target given: name one (http://..., tcp://HOST:PORT, file:///PATH) or set "
        "HEALTHCHECK_URL");
  o.any = a.flag("any");
  o.quiet = a.flag("quiet");
  o.json = a.flag("json");
  o.wait = a.flag("wait");
  if (auto v = a.value("wait-timeout"))
    o.wait_timeout = parse_duration(*v, a.source("wait-timeout"));
  if (auto v = a.value("interval")) o.interval = parse_interval(*v, a.source("interval"));
  // A probe has no use for the mode, but a bad --mode or BALLAST_MODE is still an error, as in
  // the other binaries (the app's own variables are not read: no warning every few seconds).
  if (const auto own = env.get("BALLAST_MODE"); a.value("mode") || (own && !own->empty()))
    (void)resolve_mode(a.value("mode"), env);
  o.verbose = a.flag("verbose");
  return o;
}

}  // namespace ballast::healthcheck
