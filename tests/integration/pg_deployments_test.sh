# it.pg_deployments.*: DATABASE_URL as other tools and frameworks spell it, against a real
# PostgreSQL 15.

write_migration() { mkdir -p migrations && printf '%s\n' "$2" >"migrations/$1"; }

test_every_spelling_of_the_url_reaches_the_same_database() {
  local url db host_port
  pg_env
  url=$(pg_new_database)
  db=${url##*/}
  db=${db%%\?*}
  host_port=127.0.0.1:$PGPORT
  write_migration 0001_a.sql "CREATE TABLE a (id int);"
  run_capture "$MIGRATE" apply -d "postgresql://$PGUSER@$host_port/$db"
  expect_rc 0
  local spelling
  for spelling in "postgres://$PGUSER@$host_port/$db" \
    "postgresql+psycopg2://$PGUSER@$host_port/$db" \
    "pgx://$PGUSER@$host_port/$db" \
    "jdbc:postgresql://$host_port/$db?user=$PGUSER" \
    "host=127.0.0.1 port=$PGPORT user=$PGUSER dbname=$db" \
    "postgres://$PGUSER@$host_port/$db?sslmode=disable&x-migrations-table=schema_migrations"; do
    run_capture "$MIGRATE" status --exit-code -d "$spelling"
    [ "$rc" = 0 ] || fail "$spelling: exit $rc: $out"
    case "$out" in *"0001_a.sql"*) ;; *) fail "$spelling: no row: $out" ;; esac
  done
}

test_dbmate_search_path_parameter_is_honoured() {
  local url
  pg_env
  url=$(pg_new_database)
  pg_query "$url" "CREATE SCHEMA app" >/dev/null
  write_migration 0001_a.sql "CREATE TABLE widgets (id int);"
  run_capture "$MIGRATE" apply -d "${url}&search_path=app"
  expect_rc 0
  expect_out "search_path=app is set as options=-c search_path=app"
  expect_eq "app" "$(pg_query "$url" "SELECT table_schema FROM information_schema.tables WHERE table_name = 'widgets'")" "schema of the table"
}

test_a_typo_in_a_parameter_is_refused_not_ignored() {
  local url
  pg_env
  url=$(pg_new_database)
  write_migration 0001_a.sql "SELECT 1;"
  run_capture "$MIGRATE" apply -d "${url}&ssl_mode=require"
  expect_rc 64
  expect_out "unknown connection parameter 'ssl_mode'"
}

test_entrypoint_waits_for_the_database_url_itself() {
  local url
  pg_env
  url=$(pg_new_database)
  run_capture "$ENTRYPOINT" --wait "$url" --wait-timeout 10s -- echo up
  expect_rc 0
  expect_out "up"
  run_capture "$ENTRYPOINT" --wait "host=127.0.0.1 port=$PGPORT dbname=x" --wait-timeout 10s -- echo up
  expect_rc 0
  run_capture "$ENTRYPOINT" --wait "postgres://x@127.0.0.1:1/x" --wait-timeout 1s -- echo up
  expect_rc 69
}
