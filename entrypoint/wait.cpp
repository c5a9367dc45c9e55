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
#include "common/secret.hpp"
#include "common/text.hpp"
#include "entrypoint/external_probe.hpp"

namespace ballast::entrypoint {

namespace {

// Targets whose probe needs TLS or HTTP/2, which entrypoint does not link: https, rediss,
// grpc, grpcs.
bool needs_healthcheck(const std::string& target) {
  const std::string scheme = ascii_lower(target.substr(0, target.find("://")));
  return scheme == "https" || scheme == "rediss" || scheme == "grpc" || scheme == "grpcs";
}

// A PostgreSQL URL with a password: healthcheck can check the login too (that needs crypto,
// which entrypoint does not link); without healthcheck beside, readiness alone is waited for.
bool is_postgres_login(const std::string& target) {
  return is_postgres_url(target) &&
         parse_database_url(target, "--wait").conn.get("password").has_value();
}

// https:// (and PostgreSQL logins, when healthcheck is there) go through the healthcheck
// binary (see external_probe.hpp); the rest in-process: PostgreSQL URLs with pg_isready's
// verdicts, a bare HOST:PORT as tcp, as wait-for-it reads it.
std::unique_ptr<probe::Probe> probe_for(const std::string& target) {
  if (is_postgres_login(target)) {
    std::string healthcheck = find_healthcheck();
    if (!healthcheck.empty()) return make_external_probe(std::move(healthcheck), target);
    log::debug(
        "--wait {}: no healthcheck binary beside entrypoint, so the login is not checked: "
        "waiting until the server accepts connections",
        parse_database_url(target, "--wait").display);
  }
  if (!needs_healthcheck(target)) return probe::make_target_probe(target, "tcp", {});
  const Url url = parse_url(target);  // refused here first, with the URL's own reason
  const std::string healthcheck = find_healthcheck();
  if (healthcheck.empty())
    throw UsageError(fmt::format(
        "--wait {}: {} waits run the healthcheck binary, and there is none beside "
        "entrypoint or on PATH: copy it into the image too, or wait on http:// or tcp://",
        url.display(), url.scheme));
  return make_external_probe(healthcheck, target);
}

// A target as logs show it: a connection string's password masked.
std::string shown_target(const std::string& target) {
  if (is_postgres_url(target)) return parse_database_url(target, "--wait").display;
  return shown(secret::redact_url(target));
}

constexpr std::chrono::milliseconds kTryTimeout{5000};

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
    std::string target;  // as shown: never a password
    std::unique_ptr<probe::Probe> probe;
    std::string last;
  };
  std::vector<Pending> pending;
  for (const auto& t : options.targets) pending.push_back({shown_target(t), probe_for(t), ""});
  const auto start = clock::now();
  probe::Settings settings;
  const bool up = retry_with_backoff(
      options.timeout, options.interval,
      [&](clock::time_point give_up) {
        // Each try may take at most what is left, and at most 5s: a hung dependency must not
        // eat the whole wait in one go.
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(give_up - clock::now());
        settings.timeout = std::clamp(left, std::chrono::milliseconds(1), kTryTimeout);
        const bool cut = settings.timeout < kTryTimeout;
        std::erase_if(pending, [&](Pending& p) {
          const auto r = p.probe->run(settings);
          if (r.healthy) {
            const auto took = clock::now() - start;
            log::with({{"target", p.target}, {"duration_ms", took}})
                .info("--wait {}: up after {}", p.target, format_duration(took));
          }
          // A last try cut short mostly times out: what the full tries found says more.
          if (!cut || p.last.empty()) p.last = r.detail;
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
