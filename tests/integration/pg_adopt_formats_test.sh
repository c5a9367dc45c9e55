# it.pg_adopt_formats.*: `adopt --from TOOL` over each tool's own history table, created with the
# columns and rows that tool writes (its documented schema; the folders from formats.sh), on
# SQLite and on the fixture's PostgreSQL. Then apply runs nothing and status is ready.

# shellcheck source=formats.sh
. "$(dirname "${BASH_SOURCE[0]}")/formats.sh"

ENGINE=sqlite
DB=
# sql TEXT: runs TEXT on the case's database; @T@ and @F@ are the engine's true and false.
sql() {
  local text=$1
  if [ "$ENGINE" = postgres ]; then
    text=${text//@T@/true}
    text=${text//@F@/false}
    psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -c "$text" >/dev/null || fail "psql: $text"
  else
    text=${text//@T@/1}
    text=${text//@F@/0}
    sqlite3 "$DB" "$text" || fail "sqlite3: $text"
  fi
}
# run_shell: the statements the tool ran (expected.sql), by the database's own shell.
run_shell() {
  if [ "$ENGINE" = postgres ]; then
    PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -f expected.sql >/dev/null || fail "psql expected.sql"
  else
    sqlite3 "$DB" <expected.sql || fail "sqlite3 expected.sql"
  fi
}
use_engine() {
  ENGINE=$1
  if [ "$ENGINE" = postgres ]; then
    pg_env
    DB=$(pg_new_database)
  else
    DB=$WORK/app.db
  fi
}
url() { if [ "$ENGINE" = postgres ]; then echo "$DB"; else echo "sqlite:$DB"; fi; }
serial() { if [ "$ENGINE" = postgres ]; then echo "SERIAL PRIMARY KEY"; else echo "INTEGER PRIMARY KEY AUTOINCREMENT"; fi; }
now() { if [ "$ENGINE" = postgres ]; then echo "now()"; else echo "CURRENT_TIMESTAMP"; fi; }

# adopted_then_ready TOOL: adopt takes the history over, apply then runs nothing.
adopted_then_ready() {
  run_capture "$MIGRATE" adopt --from "$1" --database "$(url)"
  expect_rc 0
  run_capture "$MIGRATE" apply --database "$(url)"
  expect_rc 0
  expect_out "0 migrations applied"
  run_capture "$MIGRATE" status --exit-code --database "$(url)"
  expect_rc 0
}

history_goose() {
  fixture_goose "$ENGINE"
  run_shell
  sql "CREATE TABLE goose_db_version (id $(serial), version_id BIGINT NOT NULL, is_applied BOOLEAN NOT NULL, tstamp TIMESTAMP DEFAULT $(now))"
  sql "INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, @T@), (1, @T@), (2, @T@), (2, @F@), (2, @T@), (20240301000000, @T@)"
}
history_sqlx() {
  fixture_sqlx "$ENGINE"
  run_shell
  local blob="x'00'"
  [ "$ENGINE" = postgres ] && blob="'\\x00'::bytea"
  sql "CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL, installed_on TIMESTAMP NOT NULL DEFAULT $(now), success BOOLEAN NOT NULL, checksum $( [ "$ENGINE" = postgres ] && echo BYTEA || echo BLOB) NOT NULL, execution_time BIGINT NOT NULL)"
  sql "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (20240101000000, 'users', @T@, $blob, 1), (20240102000000, 'index', @T@, $blob, 1), (20240103000000, 'notes', @T@, $blob, 1)"
}
history_diesel() {
  fixture_diesel "$ENGINE"
  run_shell
  sql "CREATE TABLE __diesel_schema_migrations (version VARCHAR(50) PRIMARY KEY NOT NULL, run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)"
  sql "INSERT INTO __diesel_schema_migrations (version) VALUES ('00000000000000'), ('20240101120000'), ('20240102120000')"
}
history_prisma() {
  fixture_prisma "$ENGINE"
  run_shell
  sql "CREATE TABLE _prisma_migrations (id VARCHAR(36) PRIMARY KEY NOT NULL, checksum VARCHAR(64) NOT NULL, finished_at TIMESTAMP, migration_name VARCHAR(255) NOT NULL, logs TEXT, rolled_back_at TIMESTAMP, started_at TIMESTAMP NOT NULL DEFAULT $(now), applied_steps_count INTEGER NOT NULL DEFAULT 0)"
  sql "INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, rolled_back_at) VALUES ('a', 'x', $(now), '20240101120000_init', NULL), ('b', 'x', NULL, '20240101130000_abandoned', $(now)), ('c', 'x', $(now), '20240102120000_notes', NULL)"
}
history_drizzle() {
  fixture_drizzle "$ENGINE"
  run_shell
  local table=__drizzle_migrations
  if [ "$ENGINE" = postgres ]; then sql "CREATE SCHEMA drizzle"; table=drizzle.__drizzle_migrations; fi
  sql "CREATE TABLE $table (id $(serial), hash TEXT NOT NULL, created_at BIGINT)"
  for tag in 0000_bold_users 0001_quiet_notes; do
    sql "INSERT INTO $table (hash, created_at) VALUES ('$(sha256sum "migrations/$tag.sql" | cut -d' ' -f1)', 1704100000000)"
  done
}
# Flyway's checksum, computed here independently: CRC-32 of the file's lines without endings.
flyway_crc() {
  perl -MCompress::Zlib -e 'local $/; my $t = <STDIN>; $t =~ s/^\xEF\xBB\xBF//; my $c = crc32(join("", split(/\r\n|\r|\n/, $t))); $c -= 4294967296 if $c > 2147483647; print $c' <"$1"
}
history_flyway() {
  fixture_flyway "$ENGINE"
  run_shell
  sql "CREATE TABLE flyway_schema_history (installed_rank INT NOT NULL PRIMARY KEY, version VARCHAR(50), description VARCHAR(200) NOT NULL, type VARCHAR(20) NOT NULL, script VARCHAR(1000) NOT NULL, checksum INT, installed_by VARCHAR(100) NOT NULL, installed_on TIMESTAMP NOT NULL DEFAULT $(now), execution_time INT NOT NULL, success BOOLEAN NOT NULL)"
  sql "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success) VALUES
    (1, '1', 'users', 'SQL', 'V1__users.sql', 1, 'ci', 1, @T@),
    (2, '1.2', 'notes', 'SQL', 'V1_2__notes.sql', 1, 'ci', 1, @T@),
    (3, '1.9', 'labels', 'SQL', 'V1_9__labels.sql', 1, 'ci', 1, @T@),
    (4, '1.10', 'tags', 'SQL', 'V1.10__tags.sql', 1, 'ci', 1, @T@),
    (5, '2.1.3', 'index', 'SQL', 'V2_1_3__index.sql', 1, 'ci', 1, @T@),
    (6, NULL, 'user view', 'SQL', 'R__user_view.sql', 12345, 'ci', 1, @T@),
    (7, NULL, 'user view', 'SQL', 'R__user_view.sql', $(flyway_crc migrations/R__user_view.sql), 'ci', 1, @T@)"
}
history_popx() {
  fixture_popx "$ENGINE"
  run_shell
  sql "CREATE TABLE schema_migration (version VARCHAR(48) NOT NULL, version_self INT NOT NULL DEFAULT 0)"
  sql "INSERT INTO schema_migration (version) VALUES ('20150100000001000000'), ('20200317160354000000'), ('20210410175418000001')"
}
history_golang_migrate() {
  fixture_golang_migrate "$ENGINE"
  run_shell
  sql "CREATE TABLE schema_migrations (version BIGINT NOT NULL PRIMARY KEY, dirty BOOLEAN NOT NULL)"
  sql "INSERT INTO schema_migrations VALUES (10, @F@)"
}

# adopt_case ENGINE TOOL: one tool's history on one engine.
adopt_case() { use_engine "$1"; "history_$2"; adopted_then_ready "${2//_/-}"; }
test_adopt_goose_history_on_sqlite() { adopt_case sqlite goose; }
test_adopt_sqlx_history_on_sqlite() { adopt_case sqlite sqlx; }
test_adopt_diesel_history_on_sqlite() { adopt_case sqlite diesel; }
test_adopt_prisma_history_on_sqlite() { adopt_case sqlite prisma; }
test_adopt_drizzle_history_on_sqlite() { adopt_case sqlite drizzle; }
test_adopt_flyway_history_on_sqlite() { adopt_case sqlite flyway; }
test_adopt_popx_history_on_sqlite() { adopt_case sqlite popx; }
test_adopt_golang_migrate_history_on_sqlite() { adopt_case sqlite golang_migrate; }
test_adopt_goose_history_on_postgres() { adopt_case postgres goose; }
test_adopt_sqlx_history_on_postgres() { adopt_case postgres sqlx; }
test_adopt_diesel_history_on_postgres() { adopt_case postgres diesel; }
test_adopt_prisma_history_on_postgres() { adopt_case postgres prisma; }
test_adopt_drizzle_history_on_postgres() { adopt_case postgres drizzle; }
test_adopt_flyway_history_on_postgres() { adopt_case postgres flyway; }
test_adopt_popx_history_on_postgres() { adopt_case postgres popx; }
test_adopt_golang_migrate_history_on_postgres() { adopt_case postgres golang_migrate; }

test_adopt_goose_leaves_a_rolled_back_version_pending() {
  use_engine sqlite
  history_goose
  sql "INSERT INTO goose_db_version (version_id, is_applied) VALUES (20240301000000, @F@)"
  run_capture "$MIGRATE" adopt --from goose --database "$(url)"
  expect_rc 0
  expect_no_out "adopted 20240301000000_audit.sql"
  run_capture "$MIGRATE" status --database "$(url)"
  expect_out "pending"
}

test_adopt_flyway_runs_a_repeatable_again_when_it_changed_since() {
  use_engine postgres
  history_flyway
  printf -- '-- changed after Flyway ran it\n' >>migrations/R__user_view.sql
  run_capture "$MIGRATE" adopt --from flyway --database "$(url)"
  expect_rc 0
  expect_out "adopted V2_1_3__index.sql"
  expect_no_out "adopted R__user_view.sql"
  run_capture "$MIGRATE" apply --database "$(url)"
  expect_rc 0
  expect_out "1 migration applied, 5 already applied"
}

test_adopt_sqlx_refuses_a_failed_migration() {
  use_engine sqlite
  history_sqlx
  sql "UPDATE _sqlx_migrations SET success = @F@ WHERE version = 20240103000000"
  run_capture "$MIGRATE" adopt --from sqlx --database "$(url)"
  expect_rc 65
  expect_out "20240103000000 (notes) is marked failed or dirty"
  expect_eq "" "$(sqlite3 app.db "SELECT name FROM sqlite_master WHERE name = 'ballast_schema_history'")" "history table"
}
