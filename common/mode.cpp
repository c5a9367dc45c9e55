#include "common/mode.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <utility>

#include "common/error.hpp"
#include "common/log.hpp"
#include "common/text.hpp"

namespace ballast {
namespace {

constexpr std::array<std::pair<std::string_view, Mode>, 32> kModeNames{{
    {"production", Mode::kProd},
    {"prod", Mode::kProd},
    {"prd", Mode::kProd},
    {"live", Mode::kProd},
    {"staging", Mode::kStaging},
    {"stage", Mode::kStaging},
    {"stg", Mode::kStaging},
    {"preprod", Mode::kStaging},
    {"pre-prod", Mode::kStaging},
    {"preproduction", Mode::kStaging},
    {"uat", Mode::kStaging},
    {"qa", Mode::kStaging},
    {"development", Mode::kDev},
    {"dev", Mode::kDev},
    {"develop", Mode::kDev},
    {"devel", Mode::kDev},
    {"local", Mode::kDev},
    {"test", Mode::kTest},
    {"testing", Mode::kTest},
    {"tests", Mode::kTest},
    {"ci", Mode::kTest},
    {"pre-production", Mode::kStaging},
    {"preview", Mode::kStaging},
    {"review", Mode::kStaging},
    {"sandbox", Mode::kStaging},
    {"demo", Mode::kStaging},
    {"acceptance", Mode::kStaging},
    {"canary", Mode::kProd},
    {"integration", Mode::kTest},
    {"e2e", Mode::kTest},
    {"localhost", Mode::kDev},
}};

// The app's and its frameworks' names, after Ballast's own BALLAST_MODE.
constexpr std::array<std::string_view, 5> kSharedNames{"MODE", "APP_ENV", "RAILS_ENV", "RACK_ENV",
                                                       "NODE_ENV"};

constexpr std::string_view kAccepted = "production, staging, development or test";

}  // namespace

std::optional<Mode> parse_mode(std::string_view text) {
  const std::string t = ascii_lower(trim(text));
  for (const auto& [name, mode] : kModeNames)
    if (t == name) return mode;
  return std::nullopt;
}

std::string_view to_string(Mode mode) {
  switch (mode) {
    case Mode::kProd:
      return "prod";
    case Mode::kStaging:
      return "staging";
    case Mode::kDev:
      return "dev";
    case Mode::kTest:
      return "test";
  }
  return "dev";
}

ResolvedMode resolve_mode(const std::optional<std::string>& flag, const Env& env) {
  if (flag) {
    if (auto m = parse_mode(*flag)) return {*m, "--mode"};
    throw UsageError(fmt::format("invalid --mode '{}': use {}", shown(*flag), kAccepted));
  }
  if (const auto own = env.get("BALLAST_MODE"); own && !own->empty()) {
    if (auto m = parse_mode(*own)) return {*m, "BALLAST_MODE"};
    throw ConfigError(
        fmt::format("invalid BALLAST_MODE='{}': use {} (or unset it)", shown(*own), kAccepted));
  }
  for (const std::string_view name : kSharedNames) {
    const auto value = env.get(name);
    if (!value || trim(*value).empty()) continue;
    if (auto m = parse_mode(*value)) return {*m, std::string(name)};
    log::warn(
        "{}='{}' is not a mode Ballast knows ({}): applying prod rules to be safe; set "
        "BALLAST_MODE (or pass --mode) to say which it is",
        name, shown(*value), kAccepted);
    return {Mode::kProd, fmt::format("{} (unknown value, treated as prod)", name)};
  }
  return {Mode::kDev, "default"};
}

}  // namespace ballast
