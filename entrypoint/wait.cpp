#include "entrypoint/wait.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <thread>

#include "common/duration.hpp"
#include "common/error.hpp"
#include "common/log.hpp"
#include "common/probe.hpp"
#include "common/text.hpp"
#include "common/url.hpp"
#include "entrypoint/external_probe.hpp"

namespace ballast::entrypoint {

namespace {

bool is_https(const std::string& target) { return ascii_lower(target.substr(0, 8)) == "https://"; }

// https:// goes through the healthcheck binary (see external_probe.hpp); the rest in-process.
std::unique_ptr<probe::Probe> probe_for(const std::string& target) {
  if (!is_https(target)) return probe::make_probe(target);
  const std::string healthcheck = find_healthcheck();
  if (healthcheck.empty())
    throw UsageError(fmt::format(
        "--wait {}: https waits run the healthcheck binary, and there is none beside "
        "entrypoint or on PATH: copy it into the image too, or wait on http:// or tcp://",
        target));
  (void)parse_url(target);
  return make_external_probe(healthcheck, target);
}

}  // namespace

void validate_wait_targets(const std::vector<std::string>& targets) {
  for (const auto& t : targets) {
    if (t.starts_with("file://"))
      throw UsageError(
          fmt::format("--wait {}: wait for a service (tcp, http, https, unix), not a file", t));
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
  const auto give_up = start + options.timeout;
  auto interval = options.interval;
  auto last_log = start - std::chrono::seconds(2);
  probe::Settings settings;
  for (;;) {
    // Each try may take at most what is left, and at most 5s: a hung dependency must not
    // eat the whole wait in one go.
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(give_up - clock::now());
    settings.timeout =
        std::clamp(left, std::chrono::milliseconds(1), std::chrono::milliseconds(5000));
    std::erase_if(pending, [&](Pending& p) {
      const auto r = p.probe->run(settings);
      if (r.healthy)
        log::info("--wait {}: up after {}", p.target, format_duration(clock::now() - start));
      p.last = r.detail;
      return r.healthy;
    });
    if (pending.empty()) return;
    const auto now = clock::now();
    if (now >= give_up) break;
    if (now - last_log >= std::chrono::seconds(1)) {
      for (const auto& p : pending)
        log::info("waiting for {}: {} ({} of {})", p.target, p.last, format_duration(now - start),
                  format_duration(options.timeout));
      last_log = now;
    }
    std::this_thread::sleep_for(
        std::min(interval, std::chrono::duration_cast<std::chrono::milliseconds>(give_up - now)));
    interval = std::min(interval * 2, std::chrono::milliseconds(5000));
  }
  std::vector<std::string> failed;
  failed.reserve(pending.size());
  for (const auto& p : pending) failed.push_back(fmt::format("{} ({})", p.target, p.last));
  throw UnavailableError(fmt::format("gave up after {}: never came up: {}",
                                     format_duration(options.timeout), fmt::join(failed, ", ")));
}

}  // namespace ballast::entrypoint
