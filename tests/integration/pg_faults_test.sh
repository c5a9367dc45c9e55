# it.pg_faults.*: migrate against a PostgreSQL server of its own (the shared fixture must stay
# up for the other tests) that is stopped without warning in the middle of an apply.

test_server_stopped_immediately_mid_apply_then_restarted_converges_with_each_file_once() {
  [ "$(id -u)" = 0 ] || skip "needs root to run a private PostgreSQL as the postgres user"
  [ -x "$PG_BIN/initdb" ] || skip "PostgreSQL 15 server not installed"
  private_pg_start
  mkdir -p migrations
  printf 'CREATE TABLE a (x int);\n' >migrations/0001_a.sql
  # Slow only while app.slow is on (set for the first run through PGOPTIONS, which libpq reads):
  # the file must be the same on the rerun, or it would be a different migration.
  cat >migrations/0002_big.sql <<'SQL'
CREATE TABLE big (x int);
INSERT INTO big SELECT generate_series(1, 100000);
SELECT pg_sleep(CASE WHEN current_setting('app.slow', true) = 'on' THEN 60 ELSE 0 END);
SQL
  printf 'CREATE TABLE c (x int);\n' >migrations/0003_c.sql
  PGOPTIONS='-c app.slow=on' "$MIGRATE" apply --database "$pg_url" >first.log 2>&1 &
  runner=$!
  sleeping() { [ "$(pg_query "$pg_url" "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(CASE%' AND pid <> pg_backend_pid()")" = 1 ]; }
  wait_until 60 sleeping
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -m immediate -w stop >/dev/null
  wait "$runner"
  rc=$?
  [ "$rc" = 69 ] || fail "the runner whose server vanished exited $rc, want 69: $(cat first.log)"
  grep -q "lost the connection" first.log || fail "no word about the lost connection: $(cat first.log)"
  private_pg_start
  expect_eq "1" "$(pg_query "$pg_url" 'SELECT string_agg(version::text, $$,$$ ORDER BY version) FROM ballast_schema_history')" "history after the crash"
  expect_eq "" "$(pg_query "$pg_url" "SELECT to_regclass('big')")" "the interrupted file's table"
  run_capture "$MIGRATE" apply --database "$pg_url"
  expect_rc 0
  expect_out "2 migrations applied, 1 already applied"
  expect_eq "1|1,2|1,3|1" "$(pg_query "$pg_url" 'SELECT version, count(*) FROM ballast_schema_history GROUP BY version ORDER BY version' | tr '\n' ',' | sed 's/,$//')" "history rows per version"
  expect_eq "100000" "$(pg_query "$pg_url" 'SELECT count(*) FROM big')" "rows of the rerun file"
}
