#include "healthcheck/run.hpp"

#include <array>
#include <cstdio>
#include <string>
#include <vector>

#include "common/cli.hpp"
#include "common/duration.hpp"
#include "common/error.hpp"
#include "common/exit_code.hpp"
#include "common/probe.hpp"
#include "common/program.hpp"
#include "healthcheck/report.hpp"

namespace ballast::healthcheck {
namespace {

constexpr ProgramInfo kInfo{
    "healthcheck",
    "healthcheck [options] TARGET...",
    "Probes TARGETs (tcp://HOST:PORT, file:///PATH) once for a HEALTHCHECK or an exec probe.",
    "exit codes: 0 healthy, 1 unhealthy or any error (Docker reserves 2). See docs/healthcheck.md.",
};

constexpr std::array<cli::Option, 6> kOptions{{
    {"timeout", 0, "DURATION", "HEALTHCHECK_TIMEOUT", "deadline for each target (default 5s)"},
    {"max-age", 0, "DURATION", "HEALTHCHECK_MAX_AGE", "file:// heartbeat freshness (default 60s)"},
    {"any", 0, "", "HEALTHCHECK_ANY", "healthy when any target is (default: all must be)"},
    {"json", 0, "", "HEALTHCHECK_JSON", "print one JSON object instead of one line per target"},
    {"quiet", 'q', "", "HEALTHCHECK_QUIET", "print nothing; the exit code says it all"},
    {"url", 0, "TARGET", "HEALTHCHECK_URL",
     "a target, as an option (repeatable; env: space-separated)", true, ' '},
}};

}  // namespace

int run(std::span<char* const> args, const Env& env) {
  const auto options = with_common_options(kOptions);
  const cli::Args parsed = cli::parse(options, args, env, cli::Positionals::kInterleaved);
  if (auto code = handle_common_options(kInfo, options, parsed)) return *code;

  probe::Settings settings;
  if (auto v = parsed.value("timeout"))
    settings.timeout = parse_duration(*v, parsed.source("timeout"));
  if (auto v = parsed.value("max-age"))
    settings.max_age = parse_duration(*v, parsed.source("max-age"));
  std::vector<std::string> targets = parsed.positional;
  for (const auto& url : parsed.values("url")) targets.push_back(url);
  if (targets.empty())
    throw UsageError(
        "no target given: name one (tcp://HOST:PORT, file:///PATH) or set HEALTHCHECK_URL");

  std::vector<std::unique_ptr<probe::Probe>> probes;
  probes.reserve(targets.size());
  for (const auto& t : targets) probes.push_back(probe::make_probe(t));

  std::vector<probe::Result> results;
  std::size_t healthy_count = 0;
  for (auto& p : probes) {
    results.push_back(p->run(settings));
    if (results.back().healthy) ++healthy_count;
  }
  const bool healthy = parsed.flag("any") ? healthy_count > 0 : healthy_count == results.size();
  if (parsed.flag("json")) {
    std::puts(format_json(healthy, results).c_str());
  } else if (!parsed.flag("quiet")) {
    for (const auto& r : results) std::puts(format_line(r).c_str());
  }
  return healthy ? exit_code::kOk : exit_code::kFailure;
}

}  // namespace ballast::healthcheck
