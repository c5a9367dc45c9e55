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

test_create_index_concurrently_in_a_no_transaction_file() {
  url=$(pg_new_database)
  write_migration 0001_t.sql "CREATE TABLE t (id int, v text); INSERT INTO t SELECT g, g::text FROM generate_series(1, 1000) g;"
  write_migration 0002_idx.sql "-- migrate:no-transaction
CREATE INDEX CONCURRENTLY t_v ON t (v);
CREATE INDEX CONCURRENTLY t_id ON t (id);"
  run_capture "$MIGRATE" apply --database "$url"
  expect_rc 0
  expect_out "applied 0002_idx.sql"
  expect_out "(no transaction)"
  expect_eq "applied|2" "$(pg_query "$url" "SELECT state, statements_done FROM ballast_schema_history WHERE version = '2'")" "history"
  expect_eq "2" "$(pg_query "$url" "SELECT count(*) FROM pg_indexes WHERE tablename = 't'")" "indexes"
}

test_twenty_concurrent_runners_and_lock_timeout_names_the_holder() {
  url=$(pg_new_database)
  for i in $(seq -w 1 30); do write_migration "00${i}_t.sql" "CREATE TABLE t$i (id int);"; done
  pids=()
  for r in $(seq 20); do
    "$MIGRATE" apply --database "$url" >"runner$r.log" 2>&1 &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || fail "a runner failed: $(cat runner*.log)"; done
  expect_eq "30|30" "$(pg_query "$url" 'SELECT count(*), count(DISTINCT version) FROM ballast_schema_history')" "history rows"
  # A held lock: another session takes it; the runner gives up with 75 naming it.
  psql -X -q -d "$url" -c "SELECT pg_advisory_lock(7089066501205095469); SELECT pg_sleep(5)" >/dev/null 2>&1 &
  holder=$!
  on_exit "kill $holder"
  sleep 0.5
  run_capture "$MIGRATE" apply --database "$url" --lock-timeout 1s
  expect_rc 75
  expect_out "the migration lock is still held by pid"
}

test_kill_9_at_random_moments_then_rerun_converges() {
  url=$(pg_new_database)
  ref=$(pg_new_database)
  for i in $(seq -w 1 40); do
    write_migration "00${i}_t.sql" "CREATE TABLE t$i (id int); INSERT INTO t$i SELECT generate_series(1, 200); SELECT pg_sleep(0.005);"
  done
  "$MIGRATE" apply --database "$ref" >/dev/null 2>&1 || fail "reference apply failed"
  for delay in 0.05 0.1 0.15 0.2 0.3; do
    "$MIGRATE" apply --database "$url" >/dev/null 2>&1 &
    p=$!
    sleep "$delay"
    kill -9 "$p" 2>/dev/null
    wait "$p" 2>/dev/null
  done
  run_capture "$MIGRATE" apply --database "$url"
  expect_rc 0
  schema() { pg_query "$1" "SELECT table_name || ':' || (SELECT count(*) FROM information_schema.columns c WHERE c.table_name = t.table_name) FROM information_schema.tables t WHERE table_schema = 'public' ORDER BY 1"; }
  expect_eq "$(schema "$ref")" "$(schema "$url")" "schema after kills and a rerun"
  expect_eq "$(pg_query "$ref" 'SELECT count(*) FROM t40')" "$(pg_query "$url" 'SELECT count(*) FROM t40')" "rows"
  expect_eq "40" "$(pg_query "$url" "SELECT count(*) FROM ballast_schema_history WHERE state = 'applied'")" "applied rows"
}

test_single_transaction_on_postgres_rolls_back_the_whole_release() {
  url=$(pg_new_database)
  write_migration 0001_a.sql "CREATE TABLE a (id int);"
  write_migration 0002_b.sql "CREATE TABLE b (id int);
SELECT * FROM missing;"
  run_capture "$MIGRATE" apply --database "$url" --single-transaction
  expect_rc 65
  expect_out "0002_b.sql failed at line 2"
  expect_out "(the whole release was rolled back)"
  expect_eq "f" "$(pg_query "$url" "SELECT to_regclass('a') IS NOT NULL")" "table a"
}
