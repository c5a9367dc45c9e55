# it.pg_readiness.*: healthcheck postgres:// and entrypoint --wait against real PostgreSQL 15
# servers in each state pg_isready tells apart, with pg_isready's verdict beside ours.

# isready URL: pg_isready's exit code (0 accepting, 1 rejecting, 2 no response).
isready() {
  local rc=0
  pg_isready -q -d "$1" || rc=$?
  echo "$rc"
}

test_accepting_server_is_healthy_as_pg_isready_says_without_logging_in() {
  private_pg_start log_connections=on
  expect_eq 0 "$(isready "$pg_url")" "pg_isready"
  run_capture "$HEALTHCHECK" "$pg_url"
  expect_rc 0
  expect_out "accepting connections"
  # Every spelling DATABASE_URL has: libpq's keyword/value form (one target despite its
  # spaces, also from HEALTHCHECK_URL), a JDBC URL, a role that does not exist.
  run_capture "$HEALTHCHECK" "host=127.0.0.1 port=$pg_port user=postgres dbname=postgres"
  expect_rc 0
  run_capture env HEALTHCHECK_URL="host=127.0.0.1 port=$pg_port dbname=postgres" "$HEALTHCHECK"
  expect_rc 0
  run_capture env ENTRYPOINT_WAIT="host=127.0.0.1 port=$pg_port user=postgres" "$ENTRYPOINT" -- true
  expect_rc 0
  run_capture "$HEALTHCHECK" "jdbc:postgresql://127.0.0.1:$pg_port/postgres?user=postgres"
  expect_rc 0
  run_capture "$HEALTHCHECK" "postgres://nobody@127.0.0.1:$pg_port/nothing"
  expect_rc 0
  expect_out 'role "nobody" does not exist'
  expect_eq 0 "$(isready "postgres://nobody@127.0.0.1:$pg_port/nothing")" "pg_isready, unknown role"
  # The unix socket, as a socket directory in the host parameter.
  run_capture "$HEALTHCHECK" "postgres:///postgres?host=$pg_dir&port=$pg_port&user=postgres"
  expect_rc 0
}

test_server_in_recovery_without_hot_standby_is_rejecting_as_pg_isready_says() {
  private_pg_start
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null
  touch "$pg_dir/data/standby.signal" && chown postgres "$pg_dir/data/standby.signal"
  private_pg_start hot_standby=off
  expect_eq 1 "$(isready "$pg_url")" "pg_isready"
  run_capture "$HEALTHCHECK" "$pg_url"
  expect_rc 1
  expect_out "rejecting connections: the database system is not accepting connections"
  expect_out "Hot standby mode is disabled"
  # entrypoint --wait gives up with the same reason, and 69.
  run_capture "$ENTRYPOINT" --wait "$pg_url" --wait-timeout 1s -- true
  expect_rc 69
  expect_out "rejecting connections"
}

test_server_in_smart_shutdown_is_rejecting_then_stopped_server_is_no_response() {
  private_pg_start
  psql -X -q -d "$pg_url" -c 'SELECT pg_sleep(120)' >/dev/null 2>&1 &
  local holder=$!
  on_exit "kill $holder"
  busy() { [ "$(pg_query "$pg_url" "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(120)%' AND pid <> pg_backend_pid()")" = 1 ]; }
  wait_until 30 busy
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$pg_dir/data" -m smart -W stop >/dev/null
  rejecting() { [ "$(isready "$pg_url")" = 1 ]; }
  wait_until 30 rejecting
  run_capture "$HEALTHCHECK" "$pg_url"
  expect_rc 1
  expect_out "rejecting connections: the database system is shutting down"
  # The sleeping backend outlives its client; a fast stop ends it.
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null
  expect_eq 2 "$(isready "$pg_url")" "pg_isready once stopped"
  run_capture "$HEALTHCHECK" "$pg_url"
  expect_rc 1
  expect_out "no response: connect refused"
}

test_too_many_clients_is_rejecting() {
  # A role's connection limit gives the same SQLSTATE (53300) as a full server, without racing
  # the superuser sessions that take and release the server's slots.
  private_pg_start
  psql -X -q -d "$pg_url" -c "CREATE ROLE app LOGIN CONNECTION LIMIT 1" >/dev/null
  local app="postgres://app@127.0.0.1:$pg_port/postgres"
  psql -X -q -d "$app" -c 'SELECT pg_sleep(120)' >/dev/null 2>&1 &
  on_exit "kill $!"
  busy() { [ "$(pg_query "$pg_url" "SELECT count(*) FROM pg_stat_activity WHERE usename = 'app'")" = 1 ]; }
  wait_until 30 busy
  run_capture "$HEALTHCHECK" "$app"
  expect_rc 1
  expect_out "rejecting connections: too many connections for role \"app\""
}

test_password_logs_in_with_scram_md5_and_cleartext_and_wrong_ones_are_unhealthy() {
  private_pg_start
  psql -X -q -d "$pg_url" -c "CREATE ROLE app LOGIN PASSWORD 'scram-pw'" \
    -c "SET password_encryption = 'md5'" -c "CREATE ROLE old LOGIN PASSWORD 'md5-pw'" \
    -c "CREATE ROLE clear LOGIN PASSWORD 'clear pw'" >/dev/null
  { echo "host all app 127.0.0.1/32 scram-sha-256"; echo "host all old 127.0.0.1/32 md5"
    echo "host all clear 127.0.0.1/32 password"; cat "$pg_dir/data/pg_hba.conf"; } >hba
  cp hba "$pg_dir/data/pg_hba.conf"
  pg_query "$pg_url" "SELECT pg_reload_conf()" >/dev/null
  local base="127.0.0.1:$pg_port/postgres?sslmode=disable" user pw
  for user_pw in "app:scram-pw" "old:md5-pw" "clear:clear%20pw"; do
    user=${user_pw%%:*} pw=${user_pw#*:}
    run_capture "$HEALTHCHECK" "postgres://$user:$pw@$base"
    expect_rc 0
    expect_out "accepting connections, logged in as $user"
    expect_no_out "$pw"
    run_capture "$HEALTHCHECK" "postgres://$user:wrong@$base"
    expect_rc 1
    expect_out "login failed: password authentication failed for user \"$user\" [28P01]"
    expect_out "postgres://$user:****@"
    expect_no_out "wrong"
  done
  # No password: the server is up and asks for one; no login is tried, as pg_isready.
  run_capture "$HEALTHCHECK" "postgres://app@$base"
  expect_rc 0
  expect_out "needs a password"
  expect_eq 0 "$(isready "postgres://app@$base")" "pg_isready without a password"
  # entrypoint --wait checks the login through healthcheck, without the password on any
  # command line; a wrong one never comes up.
  run_capture "$ENTRYPOINT" --wait "postgres://app:scram-pw@$base" --wait-timeout 10s -- true
  expect_rc 0
  run_capture "$ENTRYPOINT" --wait "postgres://app:wrong@$base" --wait-timeout 1s -- true
  expect_rc 69
  expect_out "password authentication failed"
  expect_no_out "wrong@"
}

test_a_server_that_is_not_postgres_is_named_so() {
  # A server that speaks first (SSH, SMTP) on the port the URL names, and then waits for the
  # client as sshd does (closing at once would race the probe's startup message with a reset).
  local port
  start_server port socat "TCP-LISTEN:{port},bind=127.0.0.1,reuseaddr,fork" \
    SYSTEM:"echo SSH-2.0-OpenSSH_9.2; sleep 10"
  run_capture "$HEALTHCHECK" "postgres://u@127.0.0.1:$port/db"
  expect_rc 1
  expect_out "not a PostgreSQL server (it answered 'SSH-2'"
  expect_eq 2 "$(isready "postgres://u@127.0.0.1:$port/db")" "pg_isready against SSH"
}
