#include "healthcheck/report.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "common/duration.hpp"
#include "common/log.hpp"
#include "common/text.hpp"

namespace ballast::healthcheck {

// One line of at most 4 KiB, whatever the server sent: Docker keeps that much health output.
std::string format_line(const probe::Result& result) {
  return shown(fmt::format("{}: {} {} in {}", result.healthy ? "healthy" : "unhealthy",
                           result.target, result.detail, format_duration(result.elapsed)),
               log::kMaxLine);
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
