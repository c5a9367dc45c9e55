# it.pg_migrate.*: migrate against the real PostgreSQL 15 the fixture runs on loopback.

write_migration() { mkdir -p migrations && printf '%s\n' "$2" >"migrations/$1"; }

test_apply_then_status_on_postgres() {
  url=$(pg_new_database)
  write_migration 0001_users.sql "CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL UNIQUE);"
  write_migration 0002_notes.sql "CREATE TABLE notes (id bigserial PRIMARY KEY, user_id bigint REFERENCES users);
CREATE INDEX notes_user ON notes (user_id);"
  run_capture "$MIGRATE" apply --database "$url"
  expect_rc 0
  expect_out "2 migrations applied"
  expect_eq "1|users|applied
2|notes|applied" "$(pg_query "$url" 'SELECT version, name, state FROM ballast_schema_history ORDER BY version')" "history"
  expect_eq "t" "$(pg_query "$url" "SELECT to_regclass('notes_user') IS NOT NULL")" "index"
  run_capture "$MIGRATE" status --exit-code --database "$url"
  expect_rc 0
}

test_failing_statement_reports_line_and_rolls_back_the_file() {
  url=$(pg_new_database)
  write_migration 0001_ok.sql "CREATE TABLE ok (id int);"
  write_migration 0002_bad.sql "CREATE TABLE half (id int);
INSERT INTO half VALUES (1);
SELECT * FROM missing_table;"
  write_migration 0003_never.sql "CREATE TABLE never (id int);"
  run_capture "$MIGRATE" apply --database "$url"
  expect_rc 65
  expect_out "0002_bad.sql failed at line 3: relation \"missing_table\" does not exist"
  expect_eq "1" "$(pg_query "$url" "SELECT string_agg(version::text, ',') FROM ballast_schema_history")" "history"
  expect_eq "f|f" "$(pg_query "$url" "SELECT to_regclass('half') IS NOT NULL, to_regclass('never') IS NOT NULL")" "tables"
}

test_password_in_url_is_masked_in_errors() {
  pg_env
  write_migration 0001_a.sql "SELECT 1;"
  run_capture "$MIGRATE" status --database "postgres://nobody:hunter2secret@127.0.0.1:1/x"
  expect_rc 69
  expect_out "postgres://nobody:****@127.0.0.1:1/x"
  expect_no_out "hunter2secret"
}

test_concurrent_runners_apply_each_file_once() {
  url=$(pg_new_database)
  for i in $(seq -w 1 20); do write_migration "00${i}_t.sql" "CREATE TABLE t$i (id int); SELECT pg_sleep(0.01);"; done
  pids=()
  for r in 1 2 3 4 5 6 7 8 9 10; do
    "$MIGRATE" apply --database "$url" >"runner$r.log" 2>&1 &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || fail "a runner failed: $(cat runner*.log)"; done
  expect_eq "20|20" "$(pg_query "$url" 'SELECT count(*), count(DISTINCT version) FROM ballast_schema_history')" "history rows"
}
