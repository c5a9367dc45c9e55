#include "migrate/lint_waiver.hpp"

#include <optional>

#include "common/text.hpp"

namespace ballast::migrate {
namespace {

// "-- migrate:allow RULE because REASON": after the marker, the rule id, then "because" and
// the reason ("--" comments only: the marker is a line of its own).
std::optional<LintWaiver> waiver_of(std::string_view line, std::size_t number) {
  line = trim(line);
  if (!line.starts_with("--")) return std::nullopt;
  line = trim(line.substr(2));
  constexpr std::string_view kMarker = "migrate:allow";
  if (!line.starts_with(kMarker)) return std::nullopt;
  line = trim(line.substr(kMarker.size()));
  LintWaiver w;
  w.line = number;
  const auto space = line.find_first_of(" \t");
  w.rule = std::string(line.substr(0, space));
  if (space == std::string_view::npos) return w;
  line = trim(line.substr(space));
  constexpr std::string_view kBecause = "because";
  if (line.size() > kBecause.size() && ascii_lower(line.substr(0, kBecause.size())) == kBecause &&
      (line[kBecause.size()] == ' ' || line[kBecause.size()] == '\t' ||
       line[kBecause.size()] == ':'))
    w.reason = std::string(trim(line.substr(kBecause.size() + 1)));
  return w;
}

}  // namespace

std::vector<LintWaiver> lint_waivers(std::string_view text) {
  std::vector<LintWaiver> out;
  // Most files have none: one search instead of a look at every line.
  if (text.find("migrate:allow") == std::string_view::npos) return out;
  for_each_line(text, [&](std::string_view line, std::size_t number) {
    if (auto w = waiver_of(line, number)) out.push_back(std::move(*w));
    return true;
  });
  return out;
}

}  // namespace ballast::migrate
