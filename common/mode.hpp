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
  std::string source;  // "--mode", "MODE", "APP_ENV", "NODE_ENV" or "default"
};

// Resolves the mode with one precedence: the --mode flag (if given), else MODE, else APP_ENV,
// else NODE_ENV, else dev. Set-but-empty variables count as unset. Accepted values
// (case-insensitive): prod|production, staging|stage, dev|development, test|testing.
// Throws UsageError for a bad flag value and ConfigError naming the variable for a bad
// variable value: an unknown mode is never silently treated as dev.
ResolvedMode resolve_mode(const std::optional<std::string>& flag, const Env& env);

// Parses one mode name; nullopt when unknown.
std::optional<Mode> parse_mode(std::string_view text);

// "prod", "staging", "dev" or "test".
std::string_view to_string(Mode mode);

}  // namespace ballast
