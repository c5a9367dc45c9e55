#pragma once

#include <string>
#include <string_view>

namespace ballast {

// ASCII lower case of one character (std::tolower is a call into the C locale per character).
constexpr char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// ASCII lower-case copy of `s` (locale-independent: configuration words, not prose).
std::string ascii_lower(std::string_view s);

// ASCII upper-case copy of `s`.
std::string ascii_upper(std::string_view s);

// `s` without the spaces, tabs, CRs and LFs around it (what an env file, a CRLF line end or
// `echo` leave on a value).
std::string_view trim(std::string_view s);

// True when `text` holds a C0 control character or DEL (a byte that could split a line, move
// the cursor, or end a C string).
bool has_control(std::string_view text);

// `value` as it may appear inside a one-line message: control characters escaped (\n, \r,
// \t, \xNN), so a value can never split a log line or forge another, and at most `max` bytes
// kept, the middle elided ("first…[12345 bytes]…last"), so a huge value cannot flood a log
// that keeps 4 KiB (Docker's health log). For every value that comes from outside.
std::string shown(std::string_view value, std::size_t max = 200);

// Calls f(line, number) for each line of `text` (1-based numbers, "\n" or "\r\n" endings
// removed, a last line without an ending included) until f returns false.
template <typename F>
void for_each_line(std::string_view text, F f) {
  std::size_t pos = 0;
  std::size_t number = 0;
  while (pos < text.size()) {
    auto end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!f(line, ++number)) return;
  }
}

}  // namespace ballast
