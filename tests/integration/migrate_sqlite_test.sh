# it.migrate_sqlite.*: migrate against real SQLite files.

# write_migration NAME SQL: adds a file to ./migrations.
write_migration() { mkdir -p migrations && printf '%s\n' "$2" >"migrations/$1"; }

sqlite_query() { sqlite3 -batch -noheader "$1" "$2"; }

five_migrations_third_broken() {
  write_migration 0001_a.sql "CREATE TABLE a (x INTEGER);"
  write_migration 0002_b.sql "CREATE TABLE b (x INTEGER);"
  write_migration 0003_c.sql "CREATE TABLE c (x INTEGER);
INSERT INTO c VALUES (1);
INSERT INTO no_such_table VALUES (1);"
  write_migration 0004_d.sql "CREATE TABLE d (x INTEGER);"
  write_migration 0005_e.sql "CREATE TABLE e (x INTEGER);"
}

test_embedded_default_creates_data_app_sqlite3_and_applies_in_order() {
  write_migration 0002_b.sql "CREATE TABLE b (id INTEGER REFERENCES a (id));"
  write_migration 0001_a.sql "CREATE TABLE a (id INTEGER PRIMARY KEY);"
  run_capture "$MIGRATE" apply
  expect_rc 0
  expect_out "using the embedded default sqlite:./data/app.sqlite3"
  expect_out "applied 0001_a.sql"
  expect_out "2 migrations applied, 0 already applied"
  [ -f data/app.sqlite3 ] || fail "data/app.sqlite3 not created"
  expect_eq "1|a
2|b" "$(sqlite_query data/app.sqlite3 'SELECT version, name FROM ballast_schema_history ORDER BY version')" "history"
  expect_eq "$(sha256sum migrations/0001_a.sql | cut -d' ' -f1)" \
    "$(sqlite_query data/app.sqlite3 'SELECT sha256 FROM ballast_schema_history WHERE version = 1')" "stored sha256"
}

test_second_apply_applies_nothing() {
  write_migration 0001_a.sql "CREATE TABLE a (id INTEGER PRIMARY KEY);"
  run_capture "$MIGRATE" apply --database sqlite:app.db
  expect_rc 0
  run_capture "$MIGRATE" apply --database sqlite:app.db
  expect_rc 0
  expect_out "0 migrations applied, 1 already applied"
}

test_failing_file_three_of_five_keeps_one_two_rolls_back_three_skips_rest() {
  five_migrations_third_broken
  run_capture "$MIGRATE" apply --database sqlite:app.db
  expect_rc 65
  expect_out "migrate: fatal: 0003_c.sql failed at line 3: no such table: no_such_table"
  expect_eq "1
2" "$(sqlite_query app.db 'SELECT version FROM ballast_schema_history ORDER BY version')" "history after failure"
  expect_eq "a
b
ballast_schema_history" "$(sqlite_query app.db "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")" "tables after failure"
}

test_status_exit_code_reports_pending_then_clean() {
  write_migration 0001_a.sql "CREATE TABLE a (id INTEGER PRIMARY KEY);"
  run_capture "$MIGRATE" status --exit-code --database sqlite:app.db
  expect_rc 1
  expect_out "pending"
  [ ! -s app.db ] || [ -z "$(sqlite_query app.db "SELECT name FROM sqlite_master")" ] || fail "status wrote to the database"
  "$MIGRATE" apply --database sqlite:app.db >/dev/null 2>&1 || fail "apply failed"
  run_capture "$MIGRATE" status --exit-code --json --database sqlite:app.db
  expect_rc 0
  expect_out '"state":"applied"'
}

test_changed_after_apply_is_refused_with_nothing_applied() {
  write_migration 0001_a.sql "CREATE TABLE a (id INTEGER PRIMARY KEY);"
  "$MIGRATE" apply --database sqlite:app.db >/dev/null 2>&1 || fail "first apply failed"
  write_migration 0001_a.sql "CREATE TABLE a (id INTEGER PRIMARY KEY, extra TEXT);"
  write_migration 0002_b.sql "CREATE TABLE b (id INTEGER PRIMARY KEY);"
  run_capture "$MIGRATE" apply --database sqlite:app.db
  expect_rc 65
  expect_out "0001_a.sql: changed after it was applied"
  expect_eq "" "$(sqlite_query app.db "SELECT name FROM sqlite_master WHERE name = 'b'")" "table b"
}

test_duplicate_versions_are_refused_naming_both_files() {
  write_migration 0001_a.sql "SELECT 1;"
  write_migration 1_b.sql "SELECT 2;"
  run_capture "$MIGRATE" apply --database sqlite:app.db
  expect_rc 65
  expect_out "0001_a.sql and migrations/1_b.sql have the same version 1"
  [ ! -e app.db ] || fail "the database was created although the folder is bad"
}

test_unknown_file_is_refused() {
  write_migration 0001_a.sql "SELECT 1;"
  write_migration notes.txt "hello"
  run_capture "$MIGRATE" apply --database sqlite:app.db
  expect_rc 65
  expect_out "notes.txt: not a migration file name"
}

test_dbmate_file_runs_only_its_up_section() {
  write_migration 20260101000000_a.sql "-- migrate:up
CREATE TABLE a (id INTEGER);

-- migrate:down
DROP TABLE a;"
  run_capture "$MIGRATE" apply --database sqlite:app.db
  expect_rc 0
  expect_eq "a" "$(sqlite_query app.db "SELECT name FROM sqlite_master WHERE name = 'a'")" "table a"
}

test_prod_without_database_url_exits_78_and_creates_nothing() {
  write_migration 0001_a.sql "SELECT 1;"
  run_capture env MODE=prod "$MIGRATE" apply
  expect_rc 78
  expect_out "no database given in prod mode"
  [ ! -e data ] || fail "./data was created in prod"
}

test_log_format_json_gives_one_object_per_line() {
  write_migration 0001_a.sql "SELECT 1;"
  out=$("$MIGRATE" apply --database sqlite:app.db --log-format json 2>&1 >/dev/null)
  [ -n "$out" ] || fail "no log lines"
  while IFS= read -r line; do
    case "$line" in '{"time":"'*'","level":"'*'","program":"migrate","message":"'*'"}') ;;
      *) fail "not a JSON log line: $line" ;; esac
  done <<<"$out"
}
