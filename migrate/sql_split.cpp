#include "migrate/sql_split.hpp"

#include <fmt/format.h>
#include <pg_query.h>
#include <sqlite3.h>

#include "common/error.hpp"
#include "common/text.hpp"
#include "migrate/sql_position.hpp"

namespace ballast::migrate {

std::optional<SyntaxError> postgres_syntax_error(std::string_view sql) {
  if (const auto nul = sql.find('\0'); nul != std::string_view::npos)
    return SyntaxError{line_of_byte(sql, nul), "contains a NUL byte: a SQL file is text"};
  const std::string text(sql);
  PgQueryParseResult r = pg_query_parse(text.c_str());
  std::optional<SyntaxError> out;
  if (r.error != nullptr) {
    // cursorpos counts characters from 1, as the server's error positions do.
    const std::size_t pos =
        r.error->cursorpos > 0 ? static_cast<std::size_t>(r.error->cursorpos) : 1;
    out = SyntaxError{line_of_byte(text, byte_of_char(text, pos)), shown(r.error->message)};
  }
  pg_query_free_parse_result(r);
  return out;
}

std::vector<SqlStatement> split_postgres(std::string_view sql, std::string_view file_name) {
  // libpg_query reads C text: a NUL would end the file there and hide the rest.
  if (const auto nul = sql.find('\0'); nul != std::string_view::npos)
    throw DataError(fmt::format("{}: line {}: contains a NUL byte: a SQL file is text", file_name,
                                line_of_byte(sql, nul)));
  const std::string text(sql);
  PgQuerySplitResult r = pg_query_split_with_parser(text.c_str());
  if (r.error != nullptr) {
    const std::size_t pos =
        r.error->cursorpos > 0 ? static_cast<std::size_t>(r.error->cursorpos) : 1;
    const std::string message =
        fmt::format("{}: line {}: {}", shown(file_name),
                    line_of_byte(text, byte_of_char(text, pos)), shown(r.error->message));
    pg_query_free_split_result(r);
    throw DataError(message);
  }
  std::vector<SqlStatement> out;
  for (int i = 0; i < r.n_stmts; ++i) {
    // libpg_query reports byte offsets into the input here.
    const auto off = static_cast<std::size_t>(r.stmts[i]->stmt_location);
    const auto len = static_cast<std::size_t>(r.stmts[i]->stmt_len);
    std::string stmt = len == 0 ? text.substr(off) : text.substr(off, len);
    const auto start = skip_space_and_comments(stmt, 0);
    if (start >= stmt.size()) continue;  // only comments
    out.push_back({off + start, stmt.substr(start)});
  }
  pg_query_free_split_result(r);
  return out;
}

std::vector<std::pair<std::size_t, std::size_t>> split_sqlite(std::string_view sql) {
  // Grow each statement to the next ';' until sqlite3_complete says it is whole (a trigger's
  // BEGIN ... END holds ';'s). The work is capped: a pathological text (thousands of ';'
  // inside one literal) is left to the engine, whose authorizer refuses the same.
  std::vector<std::pair<std::size_t, std::size_t>> out;
  std::size_t start = 0;
  std::size_t work = 0;
  const std::size_t budget = 64 * sql.size() + 4096;
  std::size_t semi = sql.find(';');
  while (semi != std::string_view::npos) {
    const std::string chunk(sql.substr(start, semi + 1 - start));
    work += chunk.size();
    if (work > budget) return {};
    if (sqlite3_complete(chunk.c_str()) != 0) {
      const auto first = skip_space_and_comments(sql, start, SqlDialect::kSqlite);
      if (first <= semi) out.emplace_back(first, semi + 1);
      start = semi + 1;
    }
    semi = sql.find(';', semi + 1);
  }
  const auto first = skip_space_and_comments(sql, start, SqlDialect::kSqlite);
  if (first < sql.size()) out.emplace_back(first, sql.size());
  return out;
}

}  // namespace ballast::migrate
