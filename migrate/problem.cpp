#include "migrate/problem.hpp"

namespace ballast::migrate {

nlohmann::ordered_json to_json(const Problem& p) {
  nlohmann::ordered_json out = {
      {"file", p.file},
      {"line", p.line == 0 ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(p.line)},
      {"rule", p.rule},
      {"severity", p.blocking ? "error" : "warning"},
      {"message", p.reason}};
  return out;
}

nlohmann::ordered_json to_json(const std::vector<Problem>& problems) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& p : problems) out.push_back(to_json(p));
  return out;
}

}  // namespace ballast::migrate
