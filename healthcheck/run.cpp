#include "healthcheck/run.hpp"

#include <fmt/format.h>
#include <signal.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <string>
#include <vector>

#include "common/cli.hpp"
#include "common/duration.hpp"
#include "common/error.hpp"
#include "common/exit_code.hpp"
#include "common/log.hpp"
#include "common/net/probe.hpp"
#include "common/net/probe_http.hpp"
#include "common/net/url.hpp"
#include "common/program.hpp"
#include "common/retry.hpp"
#include "common/run_main.hpp"
#include "common/text.hpp"
#include "healthcheck/report.hpp"

namespace ballast::healthcheck {
namespace {

constexpr ProgramInfo kInfo{
    "healthcheck",
    "healthcheck [options] TARGET...",
    "Probes each TARGET once for a HEALTHCHECK or a Kubernetes exec probe:\n"
    "  http://HOST[:PORT]/PATH, https://..., tcp://HOST:PORT, unix:///PATH, file:///PATH\n"
    "  (HOST:PORT/PATH without a scheme is http://). curl's habits work too: -f, -s, -S\n"
    "  (accepted, nothing to change), -m/--max-time, -X/--request, -I/--head.",
    "exit codes: 0 healthy, 1 unhealthy or any error (Docker reserves 2). See docs/healthcheck.md.",
};

constexpr std::array<cli::Option, 23> kOptions{{
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
    {"unix-socket", 0, "PATH", "HEALTHCHECK_UNIX_SOCKET",
     "send http:// requests over this unix socket"},
    {"cacert", 0, "FILE", "HEALTHCHECK_CACERT", "https: trust the CA certificates in FILE"},
    {"insecure", 'k', "", "HEALTHCHECK_INSECURE", "https: do not verify the certificate"},
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

// The last line of defence for the deadline: name resolution (getaddrinfo) cannot be given a
// timeout, so a timer ends the process at the deadline with one unhealthy line. Only
// async-signal-safe calls in the handler: write(2) of a line prepared in advance, _exit(2).
char g_alarm_line[512];
std::size_t g_alarm_len = 0;

void on_alarm(int) {
  [[maybe_unused]] const ssize_t n = ::write(STDOUT_FILENO, g_alarm_line, g_alarm_len);
  ::_exit(exit_code::kFailure);
}

void arm_backstop(std::chrono::milliseconds after, const std::string& targets, bool quiet) {
  const std::string line =
      quiet ? "" : fmt::format("unhealthy: {} no answer within {}ms\n", targets, after.count());
  g_alarm_len = std::min(line.size(), sizeof g_alarm_line);
  std::copy_n(line.data(), g_alarm_len, g_alarm_line);
  struct sigaction sa {};
  sa.sa_handler = on_alarm;
  ::sigaction(SIGALRM, &sa, nullptr);
  // A little grace past the deadline: the probe's own timeout reports with more detail.
  const auto ms = after.count() + 250;
  itimerval t{};
  t.it_value.tv_sec = ms / 1000;
  t.it_value.tv_usec = (ms % 1000) * 1000;
  ::setitimer(ITIMER_REAL, &t, nullptr);
}

// True when probing `u` may wait on DNS (a host name that is not an IP literal).
bool may_resolve(const Url& u) { return !u.host.empty() && !is_ip_literal(u.host); }

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
          fmt::format("-I asks for HEAD and {} for {}: give one", a.source("method"), *v));
    s.http.method = ascii_upper(*v);
    if (s.http.method != "GET" && s.http.method != "HEAD")
      throw UsageError(fmt::format("invalid {} '{}': use GET or HEAD", a.source("method"), *v));
  }
  for (const auto& h : a.values("header")) {
    const auto colon = h.find(':');
    if (colon == std::string::npos || colon == 0)
      throw UsageError(fmt::format("invalid --header '{}': use 'Name: value'", h));
    std::string value = h.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    s.http.headers.emplace_back(h.substr(0, colon), value);
  }
  if (auto v = a.value("unix-socket")) s.http.unix_socket = *v;
  if (auto v = a.value("cacert")) s.http.ca_file = *v;
  s.http.insecure = a.flag("insecure");
  return s;
}

struct Round {
  bool healthy = false;
  std::vector<probe::Result> results;
};

Round probe_all(std::vector<std::unique_ptr<probe::Probe>>& probes, const probe::Settings& s,
                bool any) {
  Round round;
  std::size_t ok = 0;
  for (auto& p : probes) {
    round.results.push_back(p->run(s));
    if (round.results.back().healthy) ++ok;
  }
  round.healthy = any ? ok > 0 : ok == probes.size();
  return round;
}

}  // namespace

int run(std::span<char* const> args, const Env& env, TlsConnect tls) {
  const auto options = with_common_options(kOptions);
  const cli::Args parsed = cli::parse(options, args, env, cli::Positionals::kInterleaved);
  if (auto code = handle_common_options(kInfo, options, parsed, env)) return *code;

  const probe::Settings settings = settings_from(parsed);
  std::vector<std::string> targets = parsed.positional;
  for (const auto& url : parsed.values("url")) targets.push_back(url);
  if (targets.empty())
    throw UsageError(
        "no target given: name one (http://..., tcp://HOST:PORT, file:///PATH) or set "
        "HEALTHCHECK_URL");
  std::vector<std::unique_ptr<probe::Probe>> probes;
  probes.reserve(targets.size());
  bool resolves = false;
  for (const auto& t : targets) {
    const Url u = parse_url(t);
    resolves = resolves || may_resolve(u);
    probes.push_back(probe::make_probe(u, tls));
  }

  const bool any = parsed.flag("any");
  const bool quiet = parsed.flag("quiet");
  Round round;
  if (!parsed.flag("wait")) {
    // Only name resolution can outlive the probes' own deadlines (poll bounds everything else).
    if (resolves)
      arm_backstop(settings.timeout * static_cast<long>(targets.size()),
                   fmt::format("{}", fmt::join(targets, " ")), quiet);
    round = probe_all(probes, settings, any);
  } else {
    std::chrono::milliseconds wait_timeout{60000};
    std::chrono::milliseconds interval{1000};
    if (auto v = parsed.value("wait-timeout"))
      wait_timeout = parse_duration(*v, parsed.source("wait-timeout"));
    if (auto v = parsed.value("interval")) interval = parse_duration(*v, parsed.source("interval"));
    const bool verbose = parsed.flag("verbose");
    retry_with_backoff(
        wait_timeout, interval,
        [&](auto) {
          round = probe_all(probes, settings, any);
          return round.healthy;
        },
        [&](auto) {
          if (!verbose) return;
          for (const auto& r : round.results)
            if (!r.healthy)
              log::with({{"target", r.url}, {"status", r.status}, {"detail", r.detail}})
                  .info("waiting: {} {}", r.target, r.detail);
        });
  }
  if (parsed.flag("json")) {
    std::puts(format_json(round.healthy, round.results).c_str());
  } else if (!quiet) {
    for (const auto& r : round.results) std::puts(format_line(r).c_str());
  }
  return round.healthy ? exit_code::kOk : exit_code::kFailure;
}

int program_main(int argc, char** argv, TlsConnect tls) {
  return run_main(
      "healthcheck",
      [&] {
        return run(std::span(argv + 1, static_cast<std::size_t>(argc - 1)), Env::from_process(),
                   tls);
      },
      ExitPolicy::kBinaryOnly);
}

}  // namespace ballast::healthcheck
