#include "common/mode.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "common/error.hpp"
#include "common/text.hpp"

namespace ballast {

std::optional<Mode> parse_mode(std::string_view text) {
  const std::string t = ascii_lower(text);
  if (t == "prod" || t == "production") return Mode::kProd;
  if (t == "staging" || t == "stage") return Mode::kStaging;
  if (t == "dev" || t == "development") return Mode::kDev;
  if (t == "test" || t == "testing") return Mode::kTest;
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
  constexpr std::string_view kAccepted = "prod, production, staging, dev, development or test";
  if (flag) {
    if (auto m = parse_mode(*flag)) return {*m, "--mode"};
    throw UsageError(fmt::format("invalid --mode '{}': use {}", *flag, kAccepted));
  }
  for (const std::string_view name :
       std::array<std::string_view, 3>{"MODE", "APP_ENV", "NODE_ENV"}) {
    const auto value = env.get(name);
    if (!value || value->empty()) continue;
    if (auto m = parse_mode(*value)) return {*m, std::string(name)};
    throw ConfigError(
        fmt::format("invalid {}='{}': use {} (or unset it)", name, *value, kAccepted));
  }
  return {Mode::kDev, "default"};
}

}  // namespace ballast
