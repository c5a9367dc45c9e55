#pragma once

#include <cstddef>
#include <string_view>

namespace ballast::migrate {

// 1-based line of byte `offset` in `text` (offsets past the end give the last line).
std::size_t line_of_byte(std::string_view text, std::size_t offset);

// Whose lexical rules apply: they differ in comments.
enum class SqlDialect {
  kPostgres,  // `-- …` ends at LF or CR; `/* … */` nests
  kSqlite,    // `-- …` ends at LF; `/* … */` does not nest
};

// The offset of the first byte at or after `offset` that is neither white space nor inside a
// SQL comment: where a statement really starts.
std::size_t skip_space_and_comments(std::string_view sql, std::size_t offset,
                                    SqlDialect dialect = SqlDialect::kPostgres);

// Byte offset of the 1-based character `position` in UTF-8 `text`, as PostgreSQL counts
// positions in an error report; past the end gives text.size().
std::size_t byte_of_char(std::string_view text, std::size_t position);

}  // namespace ballast::migrate
