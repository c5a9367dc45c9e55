#include "entrypoint/wait.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <optional>

#include "common/database_url.hpp"
#include "common/duration.hpp"
#include "common/error.hpp"
#include "common/log.hpp"
#include "common/net/probe.hpp"
#include "common/net/url.hpp"
#include "common/retry.hpp"
#include "common/text.hpp"
#include "entrypoint/external_probe.hpp"

namespace ballast::entrypoint {

namespace {

bool is_https(const std::string& target) { return ascii_lower(target.substr(0, 8)) == "https://"; }

// A database URL (postgres://..., "host=db ...", as DATABASE_URL holds it) is waited for as
// the first host it names: tcp://HOST:PORT, or the server's unix socket in a socket directory.
std::optional<Url> database_endpoint(const std::string& target) {
  if (!is_postgres_url(target)) return std::nullopt;
  const DatabaseTarget db = parse_database_url(target, "--wait");
  const PgEndpoint e = db.conn.endpoints().front();
  if (e.host.empty() || e.unix_socket())
    return parse_url(fmt::format("unix://{}/.s.PGSQL.{}",
                                 e.host.empty() ? "/var/run/postgresql" : e.host, e.port));
  return parse_url(fmt::format(
      "tcp://{}:{}", e.host.find(':') != std::string::npos ? "[" + e.host + "]" : e.host, e.port));
}

// https:// goes through the healthcheck binary (see external_probe.hpp); the rest in-process.
// A bare HOST:PORT is tcp, as wait-for-it reads it.
std::unique_ptr<probe::Probe> probe_for(const std::string& target) {
  if (auto db = database_endpoint(target)) return probe::make_probe(*db);
  if (!is_https(target)) return probe::make_probe(parse_url(target, "tcp"));
  const Url url = parse_url(target);  // refused here first, with the URL's own reason
  const std::string healthcheck = find_healthcheck();
  if (healthcheck.empty())
    throw UsageError(fmt::format(
        "--wait {}: https waits run the healthcheck binary, and there is none beside "
        "entrypoint or on PATH: copy it into the image too, or wait on http:// or tcp://",
        url.display()));
  return make_external_probe(healthcheck, target);
}

}  // namespace

void validate_wait_targets(const std::vector<std::string>& targets) {
  for (const auto& t : targets) {
    if (t.starts_with("file://"))
      throw UsageError(fmt::format(
          "--wait {}: wait for a service (tcp, http, https, unix), not a file", shown(t)));
    (void)probe_for(t);
  }
}

void wait_for_dependencies(const WaitOptions& options) {
  using clock = std::chrono::steady_clock;
  struct Pending {
    std::string target;
    std::unique_ptr<probe::Probe> probe;
    std::string last;
  };
  std::vector<Pending> pending;
  for (const auto& t : options.targets) pending.push_back({t, probe_for(t), "not tried"});
  const auto start = clock::now();
  probe::Settings settings;
  const bool up = retry_with_backoff(
      options.timeout, options.interval,
      [&](clock::time_point give_up) {
        // Each try may take at most what is left, and at most 5s: a hung dependency must not
        // eat the whole wait in one go.
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(give_up - clock::now());
        settings.timeout =
            std::clamp(left, std::chrono::milliseconds(1), std::chrono::milliseconds(5000));
        std::erase_if(pending, [&](Pending& p) {
          const auto r = p.probe->run(settings);
          if (r.healthy) {
            const auto took = clock::now() - start;
            log::with({{"target", p.target}, {"duration_ms", took}})
                .info("--wait {}: up after {}", p.target, format_duration(took));
          }
          p.last = r.detail;
          return r.healthy;
        });
        return pending.empty();
      },
      [&](std::chrono::nanoseconds elapsed) {
        for (const auto& p : pending)
          log::with({{"target", p.target}, {"status", p.last}})
              .info("waiting for {}: {} ({} of {})", p.target, p.last, format_duration(elapsed),
                    format_duration(options.timeout));
      });
  if (up) return;
  std::vector<std::string> failed;
  failed.reserve(pending.size());
  for (const auto& p : pending) failed.push_back(fmt::format("{} ({})", p.target, p.last));
  throw UnavailableError(fmt::format("gave up after {}: never came up: {}",
                                     format_duration(options.timeout), fmt::join(failed, ", ")));
}

}  // namespace ballast::entrypoint
