// A SQLite migration file applied by migrate's own statement loop (SQLite's parser decides
// where each statement ends) to a fresh in-memory database: it applies, or fails with a
// DataError naming a line of the file; it always ends; and a failed transactional file leaves
// the schema and the history exactly as they were.
// Input: byte 0 bit 0 = a no-transaction file; the rest is the file.
#include <sqlite3.h>

#include "fuzz.hpp"
#include "migrate/database.hpp"
#include "migrate/migration_file.hpp"
#include "migrate/sqlite_database.hpp"

namespace {

int g_steps = 0;  // progress callbacks of the current input

// Every connection of this process: no ATTACH (no files written by the fuzzed SQL) and a
// bound on the work of one statement (a recursive CTE may run forever, as it would in sqlite3).
int limit_connection(sqlite3* db, const char**, const sqlite3_api_routines*) {
  sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
  sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 1 << 20);
  sqlite3_progress_handler(
      db, 10000, [](void*) { return ++g_steps > 100 ? 1 : 0; }, nullptr);
  sqlite3_set_authorizer(
      db,
      [](void*, int action, const char* a, const char*, const char*, const char*) {
        if (action == SQLITE_ATTACH) return SQLITE_DENY;
        if (action == SQLITE_FUNCTION && a != nullptr &&
            (std::string_view(a) == "load_extension" || std::string_view(a) == "writefile"))
          return SQLITE_DENY;
        return SQLITE_OK;
      },
      nullptr);
  return SQLITE_OK;
}

std::vector<std::vector<std::optional<std::string>>> schema(ballast::migrate::Database& db) {
  return db.read_rows("SELECT type, name, sql FROM sqlite_schema ORDER BY name");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  sqlite3_auto_extension(reinterpret_cast<void (*)()>(&limit_connection));  // NOLINT: C API
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ballast;
  using namespace ballast::migrate;
  fuzz::quiet();
  if (size < 1) return 0;
  g_steps = 0;
  Migration m;
  m.version = Version::of(1);
  m.name = "fuzz";
  m.file_name = "0001_fuzz.sql";
  m.sql = std::string(fuzz::as_text(data + 1, size - 1));
  m.sha256 = std::string(64, '0');
  m.no_transaction = (data[0] & 1) != 0;
  auto db = open_sqlite(":memory:", HistoryConfig{"ballast_schema_history", "fuzz"});
  db->ensure_history();
  const auto before = schema(*db);
  try {
    if (m.no_transaction)
      db->apply_no_transaction(m, "");
    else
      FUZZ_CHECK(db->apply(m, "", false));
  } catch (const DataError& e) {
    FUZZ_CHECK(std::string_view(e.what()).starts_with("0001_fuzz.sql"));
    if (!m.no_transaction) {
      FUZZ_CHECK(schema(*db) == before);
      FUZZ_CHECK(db->applied().empty());
    }
  }
  return 0;
}
