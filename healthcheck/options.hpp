#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/env.hpp"
#include "common/net/probe.hpp"

// healthcheck's command line, parsed once into one typed struct.
namespace ballast::healthcheck {

struct Options {
  std::vector<std::string> targets;  // TARGET... and --url / HEALTHCHECK_URL
  probe::Settings settings;          // --timeout, --max-age, --status, --expect-*, --header, ...
  bool any = false;                  // --any: healthy when one target is
  bool quiet = false;                // --quiet
  bool json = false;                 // --json
  bool wait = false;                 // --wait: retry until healthy
  std::chrono::milliseconds wait_timeout{60000};  // --wait-timeout
  std::chrono::milliseconds interval{1000};       // --interval: first pause, doubling to 5s
  bool verbose = false;                           // --verbose: say what each try found
};

// Parses argv[1..] and HEALTHCHECK_*; UsageError for anything bad. nullopt after --help or
// --version, which were printed; logging is configured as a side effect.
std::optional<Options> parse_options(std::span<char* const> args, const Env& env);

}  // namespace ballast::healthcheck
