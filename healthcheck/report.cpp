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
    nlohmann::json t = {{"target", r.target}, {"url", r.url}};
    if (!r.method.empty()) t["method"] = r.method;
    if (r.status != 0) t["status"] = r.status;
    t["healthy"] = r.healthy;
    t["detail"] = r.detail;
    t["ms"] = static_cast<double>(r.elapsed.count()) / 1e6;
    targets.push_back(std::move(t));
  }
  return nlohmann::json{{"healthy", healthy}, {"targets", targets}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace ballast::healthcheck
