#include "common/duration.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <limits>

#include "common/error.hpp"
#include "common/text.hpp"

namespace ballast {

std::chrono::milliseconds parse_duration(std::string_view text, std::string_view source) {
  const auto bad = [&](std::string_view why) {
    return UsageError(fmt::format("invalid {} '{}': {}", source, shown(text, 100), why));
  };
  constexpr std::string_view kUse = "use a duration such as 500ms, 1.5s, 5 (seconds), 2m or 1h";
  constexpr std::int64_t kMax = 366LL * 24 * 3'600'000;  // a year: longer is surely a mistake
  if (text.empty()) throw bad(kUse);
  std::int64_t total = 0;
  std::string_view rest = text;
  while (!rest.empty()) {
    // A whole part of at most 12 digits, then an optional fraction: no overflow below.
    std::int64_t whole = 0;
    std::size_t digits = 0;
    while (!rest.empty() && rest.front() >= '0' && rest.front() <= '9') {
      if (++digits > 12) throw bad("too long: at most a year");
      whole = whole * 10 + (rest.front() - '0');
      rest.remove_prefix(1);
    }
    std::int64_t frac = 0;
    std::int64_t frac_scale = 1;
    std::size_t frac_digits = 0;
    if (!rest.empty() && rest.front() == '.') {
      rest.remove_prefix(1);
      while (!rest.empty() && rest.front() >= '0' && rest.front() <= '9') {
        if (frac_scale < 1'000'000'000) {  // nine places are far below a millisecond
          frac = frac * 10 + (rest.front() - '0');
          frac_scale *= 10;
        }
        ++frac_digits;
        rest.remove_prefix(1);
      }
      if (frac_digits == 0) throw bad(kUse);
    }
    if (digits == 0 && frac_digits == 0) throw bad(kUse);
    std::int64_t unit = 0;
    if (rest.empty()) {
      if (total != 0 || rest.data() != text.data() + text.size()) throw bad(kUse);
      unit = 1000;  // a bare number is seconds, as curl's -m and Docker's --timeout read it
    } else if (rest.starts_with("ms")) {
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
      throw bad(kUse);
    }
    total += whole * unit + (frac * unit + frac_scale / 2) / frac_scale;
    if (total > kMax) throw bad("too long: at most a year");
  }
  return std::chrono::milliseconds(total);
}

std::chrono::milliseconds parse_interval(std::string_view text, std::string_view source) {
  const auto ms = parse_duration(text, source);
  if (ms.count() == 0)
    throw UsageError(
        fmt::format("invalid {} '{}': an interval of 0 would poll in a busy loop; use "
                    "at least 1ms, e.g. 1s",
                    source, shown(text, 100)));
  return ms;
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
