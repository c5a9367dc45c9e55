#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "migrate/lint.hpp"

using namespace ballast::migrate;

namespace {

// The rule ids found in `sql` (waivers read from the same text), in line order.
std::vector<std::string> rules(const std::string& sql, SqlDialect dialect = SqlDialect::kPostgres,
                               bool no_transaction = false, LintOptions options = {}) {
  std::vector<std::string> out;
  for (const auto& f : lint_sql(sql, lint_waivers(sql), dialect, no_transaction, options))
    if (!f.allowed) out.push_back(f.rule);
  return out;
}

using Rules = std::vector<std::string>;

}  // namespace

TEST_CASE("lint: blocking DDL on an existing PostgreSQL table is found, the safe form is not") {
  const std::vector<std::pair<std::string, Rules>> cases{
      {"CREATE INDEX i ON t (a);", {"require-concurrent-index-creation"}},
      {"CREATE INDEX CONCURRENTLY i ON t (a);", {}},
      {"ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0);", {"constraint-missing-not-valid"}},
      {"ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;", {}},
      {"ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES u (id);",
       {"adding-foreign-key-constraint"}},
      {"ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES u (id) NOT VALID;", {}},
      {"ALTER TABLE t ALTER COLUMN a SET NOT NULL;", {"adding-not-nullable-field"}},
      {"ALTER TABLE t VALIDATE CONSTRAINT a_not_null; ALTER TABLE t ALTER COLUMN a SET NOT NULL;",
       {}},
      {"ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID; ALTER TABLE t VALIDATE CONSTRAINT "
       "c;",
       {"constraint-missing-not-valid"}},
      {"ALTER TABLE t ALTER COLUMN a TYPE text;", {"changing-column-type"}},
      {"ALTER TABLE t ADD COLUMN b uuid DEFAULT gen_random_uuid();", {"adding-field-with-default"}},
      {"ALTER TABLE t ADD COLUMN b timestamptz DEFAULT now();", {}},
      {"ALTER TABLE t ADD COLUMN b text NOT NULL DEFAULT 'x';", {}},
      {"ALTER TABLE t ADD COLUMN b text NOT NULL;", {"adding-required-field"}},
      {"ALTER TABLE t ADD CONSTRAINT u UNIQUE (a);", {"disallowed-unique-constraint"}},
      {"ALTER TABLE t ADD CONSTRAINT u UNIQUE USING INDEX i;", {}},
      {"ALTER TABLE t ADD PRIMARY KEY (a);", {"adding-serial-primary-key-field"}},
      {"ALTER TABLE t RENAME COLUMN a TO b;", {"renaming-column"}},
      {"ALTER TABLE t RENAME TO u;", {"renaming-table"}},
      {"ALTER TABLE t DROP COLUMN a;", {"ban-drop-column"}},
      {"DROP TABLE t;", {"ban-drop-table"}},
      {"DROP DATABASE x;", {"ban-drop-database"}},
      {"TRUNCATE t CASCADE;", {"ban-truncate-cascade"}},
      {"TRUNCATE t;", {}},
      {"REINDEX INDEX i;", {"require-concurrent-reindex"}},
      {"REINDEX INDEX CONCURRENTLY i;", {}},
      {"ALTER TABLE t DETACH PARTITION p;", {"require-concurrent-partition-detach"}},
      {"ALTER TABLE t DETACH PARTITION p CONCURRENTLY;", {}},
      {"DROP INDEX i;", {"require-concurrent-index-deletion"}},
      {"ALTER TABLE t ALTER COLUMN a DROP NOT NULL;", {"ban-drop-not-null"}},
      {"SELECT 1;", {}},
  };
  for (const auto& [sql, want] : cases) {
    INFO(sql);
    CHECK(rules(sql) == want);
  }
}

TEST_CASE("lint: a table created in the same file is exempt from the existing-table rules") {
  CHECK(rules("CREATE TABLE t (id bigint); CREATE INDEX i ON t (id);\n"
              "ALTER TABLE t ADD CONSTRAINT c CHECK (id > 0); ALTER TABLE t RENAME COLUMN id TO "
              "k;\nDROP TABLE t;")
            .empty());
  CHECK(rules("CREATE TABLE s.t (id bigint); CREATE INDEX i ON t (id);") ==
        Rules{"require-concurrent-index-creation"});  // another schema's t may be live
}

TEST_CASE("lint: column types get the design advice squawk gives, as warnings") {
  const auto found = lint_sql(
      "CREATE TABLE t (\n id serial PRIMARY KEY,\n n smallint,\n at timestamp,\n c char(2),\n"
      " v varchar(10),\n ok text,\n b bigint\n);",
      {}, SqlDialect::kPostgres, false, {});
  std::vector<std::string> got;
  for (const auto& f : found) {
    CHECK_FALSE(f.blocking);
    CHECK(f.line == 1);
    got.push_back(f.rule);
  }
  CHECK(got == Rules{"prefer-bigint-over-int", "prefer-identity", "prefer-bigint-over-smallint",
                     "prefer-timestamp-tz", "ban-char-field", "prefer-text-field"});
}

TEST_CASE("lint: findings carry the line of their statement") {
  const auto found = lint_sql("-- a comment\nSELECT 1;\n\n  CREATE INDEX i\n ON t (a);\n", {},
                              SqlDialect::kPostgres, false, {});
  REQUIRE(found.size() == 1);
  CHECK(found[0].line == 4);
  CHECK(found[0].blocking);
  CHECK(found[0].message.find("CONCURRENTLY") != std::string::npos);
}

TEST_CASE("lint: a waiver with a reason allows its rule; without one it is itself blocking") {
  const std::string waived =
      "-- migrate:allow require-concurrent-index-creation because the table has 20 rows\n"
      "CREATE INDEX i ON t (a);\n";
  const auto ok = lint_sql(waived, lint_waivers(waived), SqlDialect::kPostgres, false, {});
  REQUIRE(ok.size() == 1);
  CHECK(ok[0].allowed);
  CHECK_FALSE(ok[0].blocking);
  CHECK(ok[0].reason == "the table has 20 rows");
  CHECK(to_problem(ok[0], "0001_x.sql").reason.find("allowed: the table has 20 rows") !=
        std::string::npos);

  const std::string bare =
      "-- migrate:allow require-concurrent-index-creation\nCREATE INDEX i ON t (a);";
  CHECK(rules(bare) == Rules{"lint-waiver", "require-concurrent-index-creation"});
  CHECK(rules("-- migrate:allow no-such-rule because x\nSELECT 1;") == Rules{"lint-waiver"});
  CHECK(rules("-- migrate:allow ban-drop-table because cleanup\nSELECT 1;") ==
        Rules{"unused-waiver"});
}

TEST_CASE("lint: waivers are read from the whole file, header included") {
  const auto w = lint_waivers(
      "-- migrate:allow ban-drop-column because v41 stopped reading it\r\n-- migrate:up\n"
      "ALTER TABLE t DROP COLUMN a;\n  --   migrate:allow renaming-table BECAUSE: old view kept\n");
  REQUIRE(w.size() == 2);
  CHECK(w[0].rule == "ban-drop-column");
  CHECK(w[0].reason == "v41 stopped reading it");
  CHECK(w[0].line == 1);
  CHECK(w[1].rule == "renaming-table");
  CHECK(w[1].reason == "old view kept");
}

TEST_CASE("lint: lock_timeout is required only when apply does not set it") {
  CHECK(rules("ALTER TABLE t ADD COLUMN b text;").empty());
  const LintOptions bare{false};
  CHECK(rules("ALTER TABLE t ADD COLUMN b text;", SqlDialect::kPostgres, false, bare) ==
        Rules{"require-lock-timeout"});
  CHECK(rules("SET lock_timeout = '2s'; ALTER TABLE t ADD COLUMN b text;", SqlDialect::kPostgres,
              false, bare)
            .empty());
}

TEST_CASE("lint: no-transaction files are asked to be safe to run again") {
  CHECK(rules("CREATE INDEX CONCURRENTLY i ON t (a);", SqlDialect::kPostgres, true) ==
        Rules{"prefer-robust-stmts"});
  CHECK(rules("CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);", SqlDialect::kPostgres, true)
            .empty());
}

TEST_CASE("lint: text that does not parse gives no finding (verify names the syntax error)") {
  CHECK(rules("CREATE INDEX ON;").empty());
  CHECK(rules(std::string("DROP TABLE t;\0", 14)).empty());
}

TEST_CASE("lint: SQLite renames and drops of live tables are found, its table rebuilds are not") {
  const auto sqlite = [](const std::string& sql) { return rules(sql, SqlDialect::kSqlite); };
  CHECK(sqlite("ALTER TABLE t RENAME TO u;") == Rules{"renaming-table"});
  CHECK(sqlite("ALTER TABLE \"t\" RENAME COLUMN a TO b;") == Rules{"renaming-column"});
  CHECK(sqlite("alter table [t] rename a to b;") == Rules{"renaming-column"});
  CHECK(sqlite("ALTER TABLE t DROP COLUMN a;") == Rules{"ban-drop-column"});
  CHECK(sqlite("DROP TABLE IF EXISTS main.t;") == Rules{"ban-drop-table"});
  CHECK(sqlite("ALTER TABLE t ADD COLUMN b TEXT;").empty());
  // The rebuild SQLite's documentation describes, and the older rename-away form.
  CHECK(sqlite("CREATE TABLE new_t (id INTEGER);\nINSERT INTO new_t SELECT id FROM t;\n"
               "DROP TABLE t;\nALTER TABLE new_t RENAME TO t;")
            .empty());
  CHECK(sqlite("ALTER TABLE t RENAME TO t_old;\nCREATE TABLE t (id INTEGER);\n"
               "INSERT INTO t SELECT id FROM t_old;\nDROP TABLE t_old;")
            .empty());
  // A trigger body's statements are not statements of the file.
  CHECK(sqlite("CREATE TRIGGER tr AFTER INSERT ON t BEGIN DELETE FROM u; END;\n"
               "DROP TABLE u;") == Rules{"ban-drop-table"});
}

TEST_CASE("lint: every rule has a doc page id and blocking rules come first") {
  bool seen_warning = false;
  for (const auto& r : lint_rules()) {
    CHECK_FALSE(r.id.empty());
    CHECK_FALSE(r.why.empty());
    if (!r.blocking) seen_warning = true;
    CHECK((!r.blocking || !seen_warning));
    CHECK(find_lint_rule(r.id) == &r);
  }
}
