#include "common/text.hpp"

#include <algorithm>
#include <string>

namespace ballast {

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

std::string_view trim(std::string_view s) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

std::string ascii_upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

bool has_control(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

std::string shown(std::string_view value, std::size_t max) {
  const auto escape = [](std::string_view part, std::string& out) {
    static constexpr char kHex[] = "0123456789abcdef";
    for (const char c : part) {
      const auto u = static_cast<unsigned char>(c);
      if (c == '\n') {
        out += "\\n";
      } else if (c == '\r') {
        out += "\\r";
      } else if (c == '\t') {
        out += "\\t";
      } else if (u < 0x20 || u == 0x7f) {
        out += "\\x";
        out += kHex[u >> 4];
        out += kHex[u & 15];
      } else {
        out += c;
      }
    }
  };
  std::string out;
  if (value.size() <= max) {
    escape(value, out);
    return out;
  }
  // Cut on UTF-8 character boundaries (never inside a multi-byte sequence).
  // At most three steps back (a UTF-8 character is at most four bytes): text that is not
  // UTF-8 must not move the cut arbitrarily far.
  const auto boundary = [&](std::size_t i) {
    for (int step = 0; step < 3 && i > 0 && i < value.size() &&
                       (static_cast<unsigned char>(value[i]) & 0xC0) == 0x80;
         ++step)
      --i;
    return i;
  };
  const std::size_t head = boundary(max / 2);
  const std::size_t tail = boundary(value.size() - max / 4);
  escape(value.substr(0, head), out);
  out += "…[" + std::to_string(value.size()) + " bytes]…";
  escape(value.substr(tail), out);
  return out;
}

}  // namespace ballast
