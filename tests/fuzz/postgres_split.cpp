// A PostgreSQL migration file split into statements (libpg_query's scanner and parser, then
// our own skip of leading space and comments): what splits is every statement of the file, in
// order, each of which parses alone; what cannot be split is refused with a DataError.
#include <pg_query.h>

#include "fuzz.hpp"
#include "migrate/sql_position.hpp"
#include "migrate/sql_split.hpp"

namespace {

bool parses_alone(const std::string& sql) {
  PgQueryParseResult r = pg_query_parse(sql.c_str());
  const bool ok = r.error == nullptr;
  pg_query_free_parse_result(r);
  return ok;
}

bool only_separators(std::string_view gap) {
  std::size_t i = 0;
  for (;;) {
    i = ballast::migrate::skip_space_and_comments(gap, i);
    if (i < gap.size() && gap[i] == ';') {
      ++i;
      continue;
    }
    return i == gap.size();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ballast;
  using namespace ballast::migrate;
  const auto sql = fuzz::as_text(data, size);
  const auto syntax = postgres_syntax_error(sql);
  if (syntax) FUZZ_CHECK(syntax->line >= 1);
  std::vector<SqlStatement> statements;
  if (fuzz::refused([&] { statements = split_postgres(sql, "0001_x.sql"); })) return 0;
  FUZZ_CHECK(sql.find('\0') == std::string_view::npos);  // a NUL would hide the rest of the file
  FUZZ_CHECK(!syntax);                                   // the file parsed as a whole
  std::size_t end = 0;
  for (const auto& s : statements) {
    FUZZ_CHECK(s.offset >= end && s.offset + s.text.size() <= sql.size());
    FUZZ_CHECK(sql.substr(s.offset, s.text.size()) == s.text);
    FUZZ_CHECK(skip_space_and_comments(s.text, 0) == 0);
    FUZZ_CHECK(parses_alone(s.text));
    end = s.offset + s.text.size();
  }
  // Nothing but space, comments and semicolons between and after the statements.
  std::size_t at = 0;
  for (const auto& s : statements) {
    FUZZ_CHECK(only_separators(sql.substr(at, s.offset - at)));
    at = s.offset + s.text.size();
  }
  FUZZ_CHECK(only_separators(sql.substr(at)));
  return 0;
}
