#include "healthcheck/report.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "common/duration.hpp"

namespace ballast::healthcheck {

std::string format_line(const probe::Result& result) {
  return fmt::format("{}: {} {} in {}", result.healthy ? "healthy" : "unhealthy", result.target,
                     result.detail, format_duration(result.elapsed));
}

std::string format_json(bool healthy, const std::vector<probe::Result>& results) {
  nlohmann::json targets = nlohmann::json::array();
  for (const auto& r : results) {
    targets.push_back({{"target", r.target},
                       {"healthy", r.healthy},
                       {"detail", r.detail},
                       {"ms", static_cast<double>(r.elapsed.count()) / 1e6}});
  }
  return nlohmann::json{{"healthy", healthy}, {"targets", targets}}.dump();
}

}  // namespace ballast::healthcheck
