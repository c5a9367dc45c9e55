#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace ballast {

// Parses a duration such as "250ms", "5s", "1.5s", "2m", "1h" or a sum like "1m30s" (units:
// ms, s, m, h; decimals allowed); a bare number is seconds ("5", "0.5"), as curl's -m and
// Docker's --timeout read it. At most a year. Throws UsageError naming `source` (e.g.
// "--timeout") otherwise.
std::chrono::milliseconds parse_duration(std::string_view text, std::string_view source);

// Formats a duration for humans: "850us", "1.3ms", "2.41s", "3m05s".
std::string format_duration(std::chrono::nanoseconds d);

// A polling interval: parse_duration, and 0 refused (it would poll in a busy loop).
std::chrono::milliseconds parse_interval(std::string_view text, std::string_view source);

}  // namespace ballast
