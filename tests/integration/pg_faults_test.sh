# it.pg_faults.*: migrate against a PostgreSQL server of its own (the shared fixture must stay
# up for the other tests) that is stopped without warning in the middle of an apply.

# private_pg_start: initdb (once) and start a server in $WORK/pg on a free port; sets $pg_url.
private_pg_start() {
  local dir=$WORK/pg
  if [ ! -d "$dir/data" ]; then
    mkdir -p "$dir" && chown postgres:postgres "$dir"
    runuser -u postgres -- "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 \
      --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || fail "initdb failed: $(cat "$dir/initdb.log")"
    on_exit "runuser -u postgres -- $PG_BIN/pg_ctl -D $dir/data -m immediate -w stop"
  fi
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    pg_port=${pg_port:-$(free_port)}
    if runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
         -o "-c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories=$dir -c fsync=off" \
         start >/dev/null 2>&1; then
      pg_url="postgres://postgres@127.0.0.1:$pg_port/postgres?sslmode=disable"
      return 0
    fi
    pg_port=""
  done
  fail "could not start a private PostgreSQL: $(tail -5 "$dir/server.log")"
}

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
