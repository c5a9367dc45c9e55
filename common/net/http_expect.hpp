#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

// What an HTTP probe expects of a response: pure decisions over plain data.
namespace ballast::probe {

// Inclusive status ranges: "200-399" (the default, Kubernetes' rule), "200", "200-299,304".
struct StatusRanges {
  std::vector<std::pair<unsigned, unsigned>> ranges{{200, 399}};
  bool contains(unsigned status) const;
  std::string text;  // as given, for messages
};

// Parses a status rule; throws UsageError naming `source` for anything malformed.
StatusRanges parse_status_ranges(std::string_view text, std::string_view source);

// One --expect-json assertion: the value at an RFC 6901 JSON Pointer equals `expected`.
struct JsonExpectation {
  std::string pointer;   // "/status", "/checks/database/healthy"
  std::string expected;  // "healthy", "true", "3", "null"
};

// Parses "/pointer=value"; throws UsageError naming `source` when there is no '=' or the
// pointer does not start with '/'.
JsonExpectation parse_json_expectation(std::string_view text, std::string_view source);

// Checks every expectation against `body`. Strings compare as text, numbers numerically,
// booleans and null by their JSON spelling. Returns why the first failing one fails
// ("/status is \"degraded\", expected \"healthy\"", "body is not JSON", "/x is missing"),
// or nullopt when all hold.
std::optional<std::string> check_json(std::string_view body,
                                      const std::vector<JsonExpectation>& expectations);

}  // namespace ballast::probe
