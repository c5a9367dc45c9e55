#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// PostgreSQL's own parser (libpg_query) for splitting and checking SQL: no hand-written
// splitter gets dollar quoting, nested comments or CREATE RULE (...; ...) right.
namespace ballast::migrate {

struct SqlStatement {
  std::size_t offset = 0;  // byte offset in the text
  std::string text;
};

// Splits PostgreSQL SQL into statements. Throws DataError "FILE: line N: MESSAGE" naming
// `file_name` when the text does not parse.
std::vector<SqlStatement> split_postgres(std::string_view sql, std::string_view file_name);

// Splits SQLite SQL into statements with SQLite's own sqlite3_complete (trigger bodies are not
// statements): [first token, past its ';') byte ranges; empty when the text is pathological
// (thousands of ';' inside one literal), which the engine then reports.
std::vector<std::pair<std::size_t, std::size_t>> split_sqlite(std::string_view sql);

// Where and why SQL does not parse.
struct SyntaxError {
  std::size_t line = 1;  // 1-based
  std::string message;
};

// Parses PostgreSQL SQL with libpg_query; the first syntax error, or nullopt when it parses.
std::optional<SyntaxError> postgres_syntax_error(std::string_view sql);

}  // namespace ballast::migrate
