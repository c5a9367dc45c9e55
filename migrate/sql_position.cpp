#include "migrate/sql_position.hpp"

#include <algorithm>

namespace ballast::migrate {

std::size_t line_of_byte(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + static_cast<std::size_t>(std::count(
                 text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

std::size_t skip_space_and_comments(std::string_view sql, std::size_t offset) {
  std::size_t i = offset;
  while (i < sql.size()) {
    const char c = sql[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      ++i;
    } else if (sql.substr(i, 2) == "--") {
      const auto nl = sql.find('\n', i);
      i = nl == std::string_view::npos ? sql.size() : nl + 1;
    } else if (sql.substr(i, 2) == "/*") {
      const auto close = sql.find("*/", i + 2);
      i = close == std::string_view::npos ? sql.size() : close + 2;
    } else {
      break;
    }
  }
  return i;
}

std::size_t byte_of_char(std::string_view text, std::size_t position) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    // Continuation bytes (10xxxxxx) do not start a character.
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++chars;
      if (chars == position) return i;
    }
  }
  return text.size();
}

}  // namespace ballast::migrate
