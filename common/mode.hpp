#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/env.hpp"

namespace ballast {

// The deployment mode every binary agrees on. Only kProd turns findings into refusals.
enum class Mode { kProd, kStaging, kDev, kTest };

// Where the resolved mode came from, for the one log line that reports it.
struct ResolvedMode {
  Mode mode;
  std::string source;  // "--mode", "BALLAST_MODE", "MODE", "APP_ENV", ... or "default"
};

// Resolves the mode with one precedence: --mode, BALLAST_MODE, MODE, APP_ENV, RAILS_ENV,
// RACK_ENV, NODE_ENV, else dev. Set-but-empty variables count as unset.
// --mode and BALLAST_MODE are Ballast's own and strict: a bad value throws UsageError (flag)
// or ConfigError (variable). The others belong to the app and its framework and are read
// tolerantly: an unknown value ("APP_ENV=blue") logs one warning naming the variable and
// how to override it, and resolves to prod, the safe side — never an exit by itself.
ResolvedMode resolve_mode(const std::optional<std::string>& flag, const Env& env);

// Parses one mode name, case-insensitively, from the values frameworks use:
//   prod:    production, prod, prd, live, canary
//   staging: staging, stage, stg, preprod, pre-prod, preproduction, pre-production, uat, qa,
//            preview, review, sandbox, demo, acceptance
//   dev:     development, dev, develop, devel, local, localhost
//   test:    test, testing, tests, ci, integration, e2e
// nullopt when unknown.
std::optional<Mode> parse_mode(std::string_view text);

// "prod", "staging", "dev" or "test".
std::string_view to_string(Mode mode);

}  // namespace ballast
