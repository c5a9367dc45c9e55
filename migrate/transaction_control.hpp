#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "migrate/sql_position.hpp"

// Transaction control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT, ...) at the top level of a file that
// migrate runs inside its own transaction. A COMMIT there would end migrate's transaction
// early: the statements before it stay even when a later one fails, without a history row. So
// such files are refused before anything runs, except for the one harmless shape many
// projects write for tools that do not wrap files (golang-migrate): a BEGIN first and a COMMIT
// last around the whole file, which only says what migrate does anyway and is dropped.
namespace ballast::migrate {

struct TransactionControl {
  std::string statement;   // its first words as written, for messages: "COMMIT", "SAVEPOINT a"
  std::size_t offset = 0;  // byte offset of the statement in the text
};

struct TransactionScan {
  // The outer BEGIN and COMMIT, as [begin, end) byte ranges (each with its ';'), or empty.
  std::vector<std::pair<std::size_t, std::size_t>> wrapper;
  std::vector<TransactionControl> stray;  // every other transaction statement
};

// Finds the top-level transaction statements of `sql`. PostgreSQL text is split by
// PostgreSQL's own parser (libpg_query: BEGIN ATOMIC bodies and dollar quotes are not
// statements), SQLite text by SQLite's sqlite3_complete (trigger bodies are not). Text that
// does not parse gives no finding: the engine reports that error when the file runs.
TransactionScan scan_transaction_control(std::string_view sql, SqlDialect dialect);

// The first statement of `sql` that the engine refuses to run inside a transaction block
// (PostgreSQL: CREATE/DROP INDEX CONCURRENTLY, REINDEX ... CONCURRENTLY, ALTER TABLE ... DETACH
// PARTITION ... CONCURRENTLY, VACUUM, CREATE/DROP DATABASE and TABLESPACE, ALTER SYSTEM,
// CREATE/DROP SUBSCRIPTION; SQLite: VACUUM), as its first words, or "" when there is none.
// Such a file can only run outside a transaction, as psql runs it and golang-migrate and
// Flyway do: migrate runs it as a no-transaction file.
std::string needs_no_transaction(std::string_view sql, SqlDialect dialect);

// `sql` with the byte ranges replaced by spaces, newlines kept: offsets and line numbers of
// everything else stay the same.
std::string blank_ranges(std::string_view sql,
                         const std::vector<std::pair<std::size_t, std::size_t>>& ranges);

}  // namespace ballast::migrate
