#include "healthcheck/run.hpp"

#include <fmt/format.h>
#include <signal.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "common/database_url.hpp"
#include "common/error.hpp"
#include "common/exit_code.hpp"
#include "common/log.hpp"
#include "common/net/probe.hpp"
#include "common/net/probe_http.hpp"
#include "common/net/url.hpp"
#include "common/retry.hpp"
#include "common/run_main.hpp"
#include "healthcheck/options.hpp"
#include "healthcheck/report.hpp"

namespace ballast::healthcheck {
namespace {

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

// True when probing `target` may wait on DNS (a host name that is not an IP literal; any
// PostgreSQL connection string, whose hosts are many and may be names).
bool may_resolve(std::string_view target) {
  if (is_postgres_url(target)) return true;
  const Url u = parse_url(target);
  return !u.host.empty() && !is_ip_literal(u.host);
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

int run(std::span<char* const> args, const Env& env, const probe::Links& links) {
  const std::optional<Options> parsed = parse_options(args, env);
  if (!parsed) return exit_code::kOk;  // --help, --version
  const Options& o = *parsed;
  std::vector<std::unique_ptr<probe::Probe>> probes;
  probes.reserve(o.targets.size());
  bool resolves = false;
  for (const auto& t : o.targets) {
    resolves = resolves || may_resolve(t);
    probes.push_back(probe::make_target_probe(t, "http", links));
  }

  Round round;
  if (!o.wait) {
    // Only name resolution can outlive the probes' own deadlines (poll bounds everything else).
    if (resolves)
      arm_backstop(o.settings.timeout * static_cast<long>(o.targets.size()),
                   fmt::format("{}", fmt::join(o.targets, " ")), o.quiet);
    round = probe_all(probes, o.settings, o.any);
  } else {
    retry_with_backoff(
        o.wait_timeout, o.interval,
        [&](auto give_up) {
          // The last try is cut to the time left: --wait-timeout is the whole wait.
          probe::Settings s = o.settings;
          const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
              give_up - std::chrono::steady_clock::now());
          s.timeout = std::clamp(left, std::chrono::milliseconds(1), o.settings.timeout);
          round = probe_all(probes, s, o.any);
          return round.healthy;
        },
        [&](auto) {
          if (!o.verbose) return;
          for (const auto& r : round.results)
            if (!r.healthy)
              log::with({{"target", r.url}, {"status", r.status}, {"detail", r.detail}})
                  .info("waiting: {} {}", r.target, r.detail);
        });
  }
  if (o.json) {
    std::puts(format_json(round.healthy, round.results).c_str());
  } else if (!o.quiet) {
    for (const auto& r : round.results) std::puts(format_line(r).c_str());
  }
  return round.healthy ? exit_code::kOk : exit_code::kFailure;
}

int program_main(int argc, char** argv, const probe::Links& links) {
  return run_main(
      "healthcheck",
      [&] {
        return run(std::span(argv + 1, static_cast<std::size_t>(argc - 1)), Env::from_process(),
                   links);
      },
      ExitPolicy::kBinaryOnly);
}

}  // namespace ballast::healthcheck
