#pragma once

#include <charconv>
#include <limits>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

// The small parsers every binary needs, once: whole numbers with a range, splitting on a
// separator. Every caller that read a number or split a list by hand uses these.
namespace ballast {

// A whole decimal number in [min, max]: ASCII digits only (no sign, space or "+"); nullopt for
// anything else, including overflow and an empty text.
template <typename T = unsigned long long>
requires std::is_integral_v<T> std::optional<T> parse_uint(std::string_view text, T min = 0,
                                                           T max = std::numeric_limits<T>::max()) {
  if (text.empty() || text.front() < '0' || text.front() > '9') return std::nullopt;
  T value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max)
    return std::nullopt;
  return value;
}

// Every part of `text` between `sep`s, empty parts included ("a::b" gives "a", "", "b"; ""
// gives one empty part), as passwd fields need; pass drop_empty for lists ("a,,b" -> a, b).
std::vector<std::string_view> split(std::string_view text, char sep, bool drop_empty = false);

// True when `word` is one of the space-separated words of `words` ("up migrate" has "up").
bool contains_word(std::string_view words, std::string_view word);

// "FROM:TO" -> {"FROM", "TO"} at the first `sep`; nullopt when there is none.
std::optional<std::pair<std::string_view, std::string_view>> split_once(std::string_view text,
                                                                        char sep);

}  // namespace ballast
