#include "common/net/http_expect.hpp"

#include "common/parse.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "common/error.hpp"
#include "common/text.hpp"

namespace ballast::probe {
namespace {

std::optional<unsigned> status_number(std::string_view s) { return parse_uint(s, 100u, 599u); }

// A JSON value or expected text as a message shows it: JSON text (a string quoted, invalid
// UTF-8 replaced), at most 200 bytes of it, on one line.
std::string json_shown(const nlohmann::json& v) {
  return shown(v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace

bool StatusRanges::contains(unsigned status) const {
  for (const auto& [lo, hi] : ranges)
    if (status >= lo && status <= hi) return true;
  return false;
}

StatusRanges parse_status_ranges(std::string_view text, std::string_view source) {
  StatusRanges out;
  out.ranges.clear();
  out.text = std::string(text);
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    const auto part =
        text.substr(start, comma == std::string_view::npos ? text.npos : comma - start);
    const auto dash = part.find('-');
    const auto lo = status_number(part.substr(0, dash));
    const auto hi = dash == std::string_view::npos ? lo : status_number(part.substr(dash + 1));
    if (!lo || !hi || *hi < *lo)
      throw UsageError(fmt::format("invalid {} '{}': use codes or ranges such as 200, 200-299,304",
                                   source, shown(text)));
    out.ranges.emplace_back(*lo, *hi);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

JsonExpectation parse_json_expectation(std::string_view text, std::string_view source) {
  const auto eq = text.find('=');
  if (eq == std::string_view::npos || text.empty() || text[0] != '/')
    throw UsageError(fmt::format("invalid {} '{}': use /json/pointer=value, e.g. /status=healthy",
                                 source, shown(text)));
  JsonExpectation e{std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))};
  try {
    (void)nlohmann::json::json_pointer(e.pointer);
  } catch (const nlohmann::json::exception& ex) {
    throw UsageError(fmt::format("invalid {} '{}': {}", source, shown(text), shown(ex.what())));
  }
  return e;
}

std::optional<std::string> check_json(std::string_view body,
                                      const std::vector<JsonExpectation>& expectations) {
  if (expectations.empty()) return std::nullopt;
  nlohmann::json doc = nlohmann::json::parse(body, nullptr, false);
  if (doc.is_discarded()) return std::string("body is not JSON");
  for (const auto& e : expectations) {
    const nlohmann::json::json_pointer ptr(e.pointer);
    const nlohmann::json* found = nullptr;
    try {
      // contains() throws for a token that cannot index an array ("", "x", a huge number).
      if (doc.contains(ptr)) found = &doc.at(ptr);
    } catch (const nlohmann::json::exception&) {
      found = nullptr;
    }
    if (found == nullptr) return fmt::format("{} is missing", shown(e.pointer));
    const auto& v = *found;
    bool equal = false;
    if (v.is_string()) {
      equal = v.get<std::string>() == e.expected;
    } else if (v.is_number()) {
      // Read by the same JSON parser as the body (not std::from_chars for double, which would
      // link libstdc++'s locale-switching float parser, ~40 KB, into entrypoint's --wait).
      const nlohmann::json want = nlohmann::json::parse(e.expected, nullptr, false);
      equal = want.is_number() && v.get<double>() == want.get<double>();
    } else if (v.is_boolean() || v.is_null()) {
      equal = v.dump() == e.expected;
    }
    if (!equal)
      return fmt::format("{} is {}, expected {}", shown(e.pointer), json_shown(v),
                         json_shown(e.expected));
  }
  return std::nullopt;
}

}  // namespace ballast::probe
