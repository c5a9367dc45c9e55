# it.pg_formats.*: other tools' migration folders, read as they are (the layouts written by
# formats.sh), applied to the fixture's PostgreSQL 15 beside psql running the same
# statements; and how failures in such files are reported.

# shellcheck source=formats.sh
. "$(dirname "${BASH_SOURCE[0]}")/formats.sh"

write_migration() { mkdir -p migrations && printf '%s\n' "$2" >"migrations/$1"; }

schema_of() {
  "$PG_BIN/pg_dump" --schema-only --no-owner --no-privileges -T ballast_schema_history "$1" |
    grep -v -e '^--' -e '^$' -e '^\\restrict' -e '^\\unrestrict'
}

# applies_like_psql FORMAT: migrate applies the folder to one database, psql runs expected.sql
# on another; pg_dump --schema-only of the two is the same, and a second apply does nothing.
applies_like_psql() {
  local url shell_url
  pg_env
  url=$(pg_new_database)
  shell_url=$(pg_new_database)
  "fixture_$1" postgres
  run_capture "$MIGRATE" apply --database "$url"
  expect_rc 0
  psql -X -q -v ON_ERROR_STOP=1 -d "$shell_url" -f expected.sql >/dev/null || fail "psql could not run expected.sql"
  expect_eq "$(schema_of "$shell_url")" "$(schema_of "$url")" "pg_dump --schema-only after migrate apply ($1)"
  run_capture "$MIGRATE" apply --database "$url"
  expect_rc 0
  expect_out "0 migrations applied"
  run_capture "$MIGRATE" verify --dialect postgres
  expect_rc 0
}

test_dbmate_folder_gives_the_schema_psql_gives() { applies_like_psql dbmate; }
test_golang_migrate_folder_gives_the_schema_psql_gives() { applies_like_psql golang_migrate; }
test_goose_folder_gives_the_schema_psql_gives() { applies_like_psql goose; }
test_sqlx_folder_gives_the_schema_psql_gives() { applies_like_psql sqlx; }
test_diesel_folder_gives_the_schema_psql_gives() { applies_like_psql diesel; }
test_prisma_folder_gives_the_schema_psql_gives() { applies_like_psql prisma; }
test_drizzle_folder_gives_the_schema_psql_gives() { applies_like_psql drizzle; }
test_flyway_folder_gives_the_schema_psql_gives() { applies_like_psql flyway; }
test_popx_folder_gives_the_schema_psql_gives() { applies_like_psql popx; }

test_a_run_time_failure_names_the_file_line_and_statement_without_stray_warnings() {
  local url
  pg_env
  url=$(pg_new_database)
  write_migration 0001_a.sql "-- users and their first row
CREATE TABLE users (id int PRIMARY KEY);

INSERT INTO users VALUES (1);


INSERT INTO users
  VALUES (1);
CREATE TABLE never (id int);"
  run_capture "$MIGRATE" apply --database "$url"
  expect_rc 65
  expect_out "0001_a.sql failed at line 7: duplicate key value violates unique constraint \"users_pkey\"; Key (id)=(1) already exists. (in: INSERT INTO users)"
  expect_no_out "WARNING"
  expect_no_out "no transaction in progress"
  expect_eq "f|f" "$(pg_query "$url" "SELECT to_regclass('users') IS NOT NULL, to_regclass('never') IS NOT NULL")" "tables after the failure"
}

test_a_failure_in_a_release_names_its_file_among_many() {
  local url
  pg_env
  url=$(pg_new_database)
  write_migration 0001_a.sql "CREATE TABLE a (id int);
INSERT INTO a VALUES (1);"
  write_migration 0002_b.sql "CREATE TABLE b (id int);

SELECT 1 / (SELECT count(*) - 1 FROM a);"
  run_capture "$MIGRATE" apply --database "$url" --single-transaction
  expect_rc 65
  expect_out "0002_b.sql failed at line 3: division by zero"
  expect_out "(the whole release was rolled back)"
  expect_eq "f" "$(pg_query "$url" "SELECT to_regclass('a') IS NOT NULL")" "table a"
}

test_transaction_control_inside_a_file_is_refused_before_anything_runs() {
  local url
  pg_env
  url=$(pg_new_database)
  write_migration 0001_a.sql "CREATE TABLE a (id int);"
  write_migration 0002_b.sql "CREATE TABLE b (id int);
COMMIT;
CREATE TABLE c (id int);
SELECT 1/0;"
  run_capture "$MIGRATE" apply --database "$url"
  expect_rc 65
  expect_out "0002_b.sql: COMMIT at line 2 in a file that runs in a transaction"
  expect_out "-- migrate:no-transaction"
  expect_eq "f|f" "$(pg_query "$url" "SELECT to_regclass('a') IS NOT NULL, to_regclass('ballast_schema_history') IS NOT NULL")" "nothing ran, no history table"
  run_capture "$MIGRATE" verify --dialect postgres
  expect_rc 65
  expect_out "COMMIT at line 2"
  # A BEGIN ... COMMIT around the whole file is migrate's own transaction, and so is a
  # function body's BEGIN ... END or a SQL-standard BEGIN ATOMIC body.
  write_migration 0002_b.sql "BEGIN;
CREATE TABLE b (id int);
CREATE FUNCTION one() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END;
CREATE FUNCTION two() RETURNS int AS \$\$ BEGIN RETURN 2; END; \$\$ LANGUAGE plpgsql;
COMMIT;"
  run_capture "$MIGRATE" apply --database "$url"
  expect_rc 0
  expect_eq "1|2" "$(pg_query "$url" "SELECT one(), two()")" "functions"
}

test_other_tools_url_parameters_reach_libpq() {
  local url base
  pg_env
  url=$(pg_new_database)
  pg_query "$url" "CREATE SCHEMA dbmate; CREATE SCHEMA app" >/dev/null
  base=${url%%\?*}
  write_migration 0001_a.sql "CREATE TABLE a (id int);"
  run_capture "$MIGRATE" apply --database "$base?sslmode=disable&search_path=dbmate,app&application_name=release&connect_timeout=5"
  expect_rc 0
  expect_eq "t|t" "$(pg_query "$url" "SELECT to_regclass('dbmate.ballast_schema_history') IS NOT NULL, to_regclass('dbmate.a') IS NOT NULL")" "objects in the search_path's first schema"
}

test_a_configuration_error_is_never_retried() {
  local url base
  pg_env
  url=$(pg_new_database)
  base=${url%/*}
  write_migration 0001_a.sql "CREATE TABLE a (id int);"
  for bad in "$base/no_such_database?sslmode=disable" "postgres://no_such_role@127.0.0.1:$PGPORT/postgres?sslmode=disable" \
             "$base/postgres?sslmode=require"; do
    run_capture "$MIGRATE" apply --database "$bad" --wait-timeout 10m
    expect_rc 78
    expect_out "not retried"
    expect_no_out "waiting for"
  done
}

test_an_older_bigint_history_table_is_upgraded_in_place() {
  local url sha
  pg_env
  url=$(pg_new_database)
  write_migration 0001_a.sql "CREATE TABLE a (id int);"
  sha=$(sha256sum migrations/0001_a.sql | cut -d' ' -f1)
  pg_query "$url" "CREATE TABLE ballast_schema_history (module TEXT NOT NULL DEFAULT '', version BIGINT NOT NULL, name TEXT NOT NULL, sha256 TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now(), execution_ms BIGINT NOT NULL, state TEXT NOT NULL, applied_by TEXT NOT NULL, statements_done BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (module, version));
CREATE TABLE a (id int);
INSERT INTO ballast_schema_history (version, name, sha256, execution_ms, state, applied_by) VALUES (1, 'a', '$sha', 1, 'applied', 'old')" >/dev/null
  write_migration 20150100000001000000_b.sql "CREATE TABLE b (id int);"
  run_capture "$MIGRATE" apply --database "$url"
  expect_rc 0
  expect_out "1 migration applied, 1 already applied"
  expect_eq "text" "$(pg_query "$url" "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'ballast_schema_history'::regclass AND attname = 'version'")" "version column"
  expect_eq "1,20150100000001000000" "$(pg_query "$url" "SELECT string_agg(version, ',' ORDER BY length(version), version) FROM ballast_schema_history")" "history"
}

test_a_statement_that_cannot_run_in_a_transaction_runs_its_file_outside_one() {
  local url
  pg_env
  url=$(pg_new_database)
  mkdir -p migrations
  # As golang-migrate users write them: no mark, psql and golang-migrate run them as they are;
  # the first with a byte-order mark, as Windows editors save files.
  printf '\xEF\xBB\xBFCREATE TABLE a (id int);\n' >migrations/1_a.up.sql
  printf 'CREATE UNIQUE INDEX CONCURRENTLY a_id ON a (id);\n' >migrations/2_a_id.up.sql
  printf 'ALTER TABLE a ADD COLUMN b int;\n' >migrations/3_b.up.sql
  run_capture "$MIGRATE" apply --database "$url"
  expect_rc 0
  expect_out "applied 2_a_id.up.sql"
  expect_out "(no transaction)"
  expect_eq "t" "$(pg_query "$url" "SELECT indisvalid FROM pg_index WHERE indexrelid = 'a_id'::regclass")" "the index"
}
