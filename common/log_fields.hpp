#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ballast::log {

// One structured field of a log line ("file": "0003_x.sql", "duration_ms": 12). JSON lines
// carry fields beside the message; text lines are the message alone.
struct Field {
  Field(std::string k, std::string v) : key(std::move(k)), text(std::move(v)) {}
  Field(std::string k, const char* v) : key(std::move(k)), text(v) {}
  template <typename N>
  requires std::is_integral_v<N> Field(std::string k, N v)
      : key(std::move(k)), number(static_cast<std::int64_t>(v)) {}
  // A duration, as whole milliseconds ("duration_ms").
  template <typename Rep, typename Period>
  Field(std::string k, std::chrono::duration<Rep, Period> d)
      : key(std::move(k)),
        number(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()) {}

  std::string key;
  std::string text;
  std::optional<std::int64_t> number;
};

using Fields = std::vector<Field>;

}  // namespace ballast::log
