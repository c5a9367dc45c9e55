#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace ballast::entrypoint {

struct WaitOptions {
  std::vector<std::string> targets;          // tcp://, http://, https://, unix:// URLs
  std::chrono::milliseconds timeout{60000};  // give up after this
  std::chrono::milliseconds interval{1000};  // first pause between tries; doubles to 5s
};

// Checks every target URL now (UsageError for a malformed one), before anything else runs.
void validate_wait_targets(const std::vector<std::string>& targets);

// Probes every target (with healthcheck's probes, from common/) until all are up, logging
// progress at most once a second. Throws UnavailableError (69) naming each target that never
// came up, and what the last try found, when options.timeout runs out.
void wait_for_dependencies(const WaitOptions& options);

}  // namespace ballast::entrypoint
