#include "migrate/sql_position.hpp"

#include <algorithm>

namespace ballast::migrate {

std::size_t line_of_byte(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + static_cast<std::size_t>(std::count(
                 text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

namespace {

// The end of the block comment opening at `i` ("/*"): PostgreSQL counts nested openings, as
// its scanner does (the SQL standard's rule); SQLite ends at the first "*/". Unterminated: the
// end of the text (the parser reports that error, not us).
std::size_t block_comment_end(std::string_view sql, std::size_t i, SqlDialect dialect) {
  std::size_t depth = 0;
  while (i + 1 < sql.size()) {
    if (sql[i] == '/' && sql[i + 1] == '*') {
      ++depth;
      i += 2;
    } else if (sql[i] == '*' && sql[i + 1] == '/') {
      i += 2;
      if (--depth == 0 || dialect == SqlDialect::kSqlite) return i;
    } else {
      ++i;
    }
  }
  return sql.size();
}

}  // namespace

std::size_t skip_space_and_comments(std::string_view sql, std::size_t offset, SqlDialect dialect) {
  std::size_t i = offset;
  while (i < sql.size()) {
    const char c = sql[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      ++i;
    } else if (sql.substr(i, 2) == "--") {
      // PostgreSQL's scanner ends a line comment at either newline character; SQLite at LF.
      const auto nl = sql.find_first_of(dialect == SqlDialect::kPostgres ? "\n\r" : "\n", i);
      i = nl == std::string_view::npos ? sql.size() : nl + 1;
    } else if (sql.substr(i, 2) == "/*") {
      i = block_comment_end(sql, i, dialect);
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
