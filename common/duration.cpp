#include "common/duration.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cstdint>
#include <limits>

#include "common/error.hpp"

namespace ballast {

std::chrono::milliseconds parse_duration(std::string_view text, std::string_view source) {
  const auto bad = [&] {
    return UsageError(
        fmt::format("invalid {} '{}': use a duration such as 250ms, 5s, 2m or 1h", source, text));
  };
  if (text == "0") return std::chrono::milliseconds(0);
  if (text.empty()) throw bad();
  std::int64_t total = 0;
  std::string_view rest = text;
  while (!rest.empty()) {
    std::int64_t n = 0;
    const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), n);
    if (ec != std::errc() || end == rest.data() || n < 0) throw bad();
    rest.remove_prefix(static_cast<std::size_t>(end - rest.data()));
    std::int64_t unit = 0;
    if (rest.starts_with("ms")) {
      unit = 1;
      rest.remove_prefix(2);
    } else if (rest.starts_with("s")) {
      unit = 1000;
      rest.remove_prefix(1);
    } else if (rest.starts_with("m")) {
      unit = 60'000;
      rest.remove_prefix(1);
    } else if (rest.starts_with("h")) {
      unit = 3'600'000;
      rest.remove_prefix(1);
    } else {
      throw bad();
    }
    if (n > (std::numeric_limits<std::int64_t>::max() - total) / unit) throw bad();
    total += n * unit;
  }
  return std::chrono::milliseconds(total);
}

std::string format_duration(std::chrono::nanoseconds d) {
  const double ns = static_cast<double>(d.count());
  if (ns < 1e3) return fmt::format("{}ns", d.count());
  if (ns < 1e6) return fmt::format("{:.0f}us", ns / 1e3);
  if (ns < 1e9) return fmt::format("{:.1f}ms", ns / 1e6);
  if (ns < 60e9) return fmt::format("{:.2f}s", ns / 1e9);
  const auto secs = std::chrono::duration_cast<std::chrono::seconds>(d).count();
  return fmt::format("{}m{:02}s", secs / 60, secs % 60);
}

}  // namespace ballast
