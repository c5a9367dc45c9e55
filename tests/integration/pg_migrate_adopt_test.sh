# it.migrate_adopt.*: taking over other tools' histories (real dbmate where installed; the other
# tools' tables created exactly as their documentation specifies).

write_migration() { mkdir -p migrations && printf '%s\n' "$2" >"migrations/$1"; }

dbmate_files() {
  write_migration 0001_a.sql "-- migrate:up
CREATE TABLE a (id INTEGER);
-- migrate:down
DROP TABLE a;"
  write_migration 0002_b.sql "-- migrate:up
CREATE TABLE b (id INTEGER);
-- migrate:down
DROP TABLE b;"
}

need_dbmate() { command -v dbmate >/dev/null || skip "dbmate (npm) missing: run scripts/bootstrap"; }

test_adopt_a_real_dbmate_history_then_apply_only_new_files() {
  need_dbmate
  dbmate_files
  dbmate --url "sqlite:$WORK/app.db" --migrations-dir migrations --no-dump-schema up >/dev/null || fail "dbmate up failed"
  run_capture "$MIGRATE" adopt --from dbmate --database sqlite:app.db
  expect_rc 0
  expect_out "adopted 0001_a.sql"
  expect_out "adopted 0002_b.sql"
  write_migration 0003_c.sql "CREATE TABLE c (id INTEGER);"
  run_capture "$MIGRATE" apply --database sqlite:app.db
  expect_rc 0
  expect_out "1 migration applied, 2 already applied"
  run_capture "$MIGRATE" adopt --from dbmate --database sqlite:app.db
  expect_rc 0
  expect_out "0 newly recorded"
}

test_adopt_a_real_dbmate_history_on_postgres() {
  need_dbmate
  pg_env
  url=$(pg_new_database)
  dbmate_files
  dbmate --url "$url" --migrations-dir migrations --no-dump-schema up >/dev/null || fail "dbmate up failed"
  run_capture "$MIGRATE" adopt --from dbmate --database "$url"
  expect_rc 0
  expect_eq "1,2" "$(pg_query "$url" "SELECT string_agg(version::text, ',' ORDER BY version) FROM ballast_schema_history")" "history"
  run_capture "$MIGRATE" apply --database "$url"
  expect_rc 0
  expect_out "0 migrations applied, 2 already applied"
}

test_adopt_refuses_a_version_without_a_local_file() {
  dbmate_files
  sqlite3 app.db "CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY); INSERT INTO schema_migrations VALUES ('0001'), ('0009');"
  run_capture "$MIGRATE" adopt --from dbmate --database sqlite:app.db
  expect_rc 65
  expect_out "0009 is applied but has no local migration file"
  expect_eq "" "$(sqlite3 app.db "SELECT name FROM sqlite_master WHERE name = 'ballast_schema_history'")" "history table"
}

test_adopt_golang_migrate_refuses_dirty_and_takes_everything_up_to_its_version() {
  dbmate_files
  write_migration 0003_c.sql "CREATE TABLE c (id INTEGER);"
  sqlite3 app.db "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL); INSERT INTO schema_migrations VALUES (2, 1);"
  run_capture "$MIGRATE" adopt --from golang-migrate --database sqlite:app.db
  expect_rc 65
  expect_out "dirty"
  sqlite3 app.db "UPDATE schema_migrations SET dirty = 0"
  run_capture "$MIGRATE" adopt --from golang-migrate --database sqlite:app.db
  expect_rc 0
  expect_out "adopted 0002_b.sql"
  expect_no_out "0003_c.sql"
}

test_adopt_flyway_and_prisma_refuse_failed_entries() {
  dbmate_files
  sqlite3 app.db "CREATE TABLE flyway_schema_history (installed_rank INT PRIMARY KEY, version VARCHAR(50), description VARCHAR(200) NOT NULL, type VARCHAR(20) NOT NULL, script VARCHAR(1000) NOT NULL, checksum INT, installed_by VARCHAR(100) NOT NULL, installed_on TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP, execution_time INT NOT NULL, success BOOLEAN NOT NULL);
    INSERT INTO flyway_schema_history VALUES (1, '1', 'a', 'SQL', 'V1__a.sql', 0, 'me', CURRENT_TIMESTAMP, 1, 1), (2, '2', 'b', 'SQL', 'V2__b.sql', 0, 'me', CURRENT_TIMESTAMP, 1, 0);"
  run_capture "$MIGRATE" adopt --from flyway --database sqlite:app.db
  expect_rc 65
  expect_out "2 (V2__b.sql) is marked failed"
  sqlite3 prisma.db "CREATE TABLE _prisma_migrations (id TEXT PRIMARY KEY, checksum TEXT NOT NULL, finished_at DATETIME, migration_name TEXT NOT NULL, logs TEXT, rolled_back_at DATETIME, started_at DATETIME NOT NULL DEFAULT current_timestamp, applied_steps_count INTEGER NOT NULL DEFAULT 0);
    INSERT INTO _prisma_migrations VALUES ('x', 'c', CURRENT_TIMESTAMP, '0001_a', NULL, NULL, CURRENT_TIMESTAMP, 1), ('y', 'c', NULL, '0002_b', NULL, NULL, CURRENT_TIMESTAMP, 0);"
  run_capture "$MIGRATE" adopt --from prisma --database sqlite:prisma.db
  expect_rc 65
  expect_out "0002_b is marked failed"
  sqlite3 prisma.db "UPDATE _prisma_migrations SET finished_at = CURRENT_TIMESTAMP"
  run_capture "$MIGRATE" adopt --from prisma --database sqlite:prisma.db
  expect_rc 0
  expect_out "adopted 0002_b.sql"
}

test_adopt_drizzle_matches_by_file_hash() {
  write_migration 0001_a.sql "CREATE TABLE a (id INTEGER);"
  write_migration 0002_b.sql "CREATE TABLE b (id INTEGER);"
  h1=$(sha256sum migrations/0001_a.sql | cut -d' ' -f1)
  sqlite3 app.db "CREATE TABLE __drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric); INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('$h1', 1700000000000);"
  run_capture "$MIGRATE" adopt --from drizzle --database sqlite:app.db
  expect_rc 0
  expect_out "adopted 0001_a.sql"
  expect_no_out "0002_b.sql"
  run_capture "$MIGRATE" adopt --from nonsense --database sqlite:app.db
  expect_rc 64
}
