// The SQLite engine's guard against another runner (an older version without the migration
// lock, or a hand-written row): a file whose history row another connection committed after
// the history was read is skipped, never run twice. apply() skips its own lookup while nothing
// but its own commits reached the file; these cases make sure it notices when something did.
#include <sqlite3.h>
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "migrate/database.hpp"
#include "migrate/migration_file.hpp"
#include "migrate/sqlite_database.hpp"
#include "support/temp_dir.hpp"

using namespace ballast::migrate;

namespace {

// A database file in a fresh temporary directory.
class TempDb {
 public:
  std::string path() const { return dir_.path() + "/app.db"; }

 private:
  ballast::testing::TempDir dir_;
};

Migration migration(unsigned version, const std::string& table) {
  Migration m;
  m.version = Version::of(version);
  m.name = table;
  m.file_name = std::to_string(version) + "_" + table + ".sql";
  m.sql = "CREATE TABLE " + table + " (x INTEGER);\n";
  m.sha256 = std::string(64, 'a');
  return m;
}

// Another process's connection writing the row an older runner would have written.
void commit_row_elsewhere(const std::string& path, unsigned version) {
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
  const std::unique_ptr<sqlite3, int (*)(sqlite3*)> other(raw, sqlite3_close);
  const std::string sql =
      "INSERT INTO ballast_schema_history (module, version, name, sha256, applied_at, "
      "execution_ms, state, applied_by) VALUES ('', '" +
      std::to_string(version) + "', 'x', 'aa', '2026-01-01T00:00:00Z', 1, 'applied', 'other')";
  REQUIRE(sqlite3_exec(other.get(), sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
}

bool has_table(Database& db, const std::string& name) {
  return !db.read_rows("SELECT 1 FROM sqlite_master WHERE name = '" + name + "'").empty();
}

}  // namespace

TEST_CASE("sqlite apply: a row another connection committed before the first file is skipped",
          "[sqlite]") {
  TempDb t;
  auto db = open_sqlite(t.path(), HistoryConfig{"ballast_schema_history", "unit"});
  REQUIRE(db->applied().empty());
  db->ensure_history();
  commit_row_elsewhere(t.path(), 1);
  CHECK_FALSE(db->apply(migration(1, "one"), "", true));
  CHECK_FALSE(has_table(*db, "one"));
  CHECK(db->apply(migration(2, "two"), "", true));
  CHECK(has_table(*db, "two"));
}

TEST_CASE("sqlite apply: a row another connection committed between two files is skipped",
          "[sqlite]") {
  TempDb t;
  auto db = open_sqlite(t.path(), HistoryConfig{"ballast_schema_history", "unit"});
  REQUIRE(db->applied().empty());
  db->ensure_history();
  CHECK(db->apply(migration(1, "one"), "", true));
  commit_row_elsewhere(t.path(), 2);
  CHECK_FALSE(db->apply(migration(2, "two"), "", true));
  CHECK_FALSE(has_table(*db, "two"));
  // Once something else was committed, every later file is looked up too.
  commit_row_elsewhere(t.path(), 3);
  CHECK_FALSE(db->apply(migration(3, "three"), "", true));
  CHECK(db->apply(migration(4, "four"), "", true));
  CHECK(db->applied().size() == 4);
}

TEST_CASE(
    "sqlite apply: rows committed after the history was read of an existing table are "
    "skipped",
    "[sqlite]") {
  TempDb t;
  {
    auto first = open_sqlite(t.path(), HistoryConfig{"ballast_schema_history", "unit"});
    first->ensure_history();
    REQUIRE(first->apply(migration(1, "one"), "", true));
  }
  auto db = open_sqlite(t.path(), HistoryConfig{"ballast_schema_history", "unit"});
  REQUIRE(db->applied().size() == 1);
  commit_row_elsewhere(t.path(), 2);
  db->ensure_history();
  CHECK_FALSE(db->apply(migration(2, "two"), "", true));
  CHECK_FALSE(has_table(*db, "two"));
}
