# it.migrate_formats.*: other tools' migration folders, read as they are (the layouts written by
# formats.sh), applied to SQLite beside the sqlite3 shell running the same statements.

# shellcheck source=formats.sh
. "$(dirname "${BASH_SOURCE[0]}")/formats.sh"

schema_of() {
  sqlite3 "$1" "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE tbl_name NOT LIKE 'ballast%' ORDER BY type, name"
}

# applies_like_the_shell FORMAT: migrate applies the folder, sqlite3 runs expected.sql; the two
# schemas are the same, a second apply does nothing, and verify finds no error.
applies_like_the_shell() {
  "fixture_$1" sqlite
  run_capture "$MIGRATE" apply --database sqlite:app.db
  expect_rc 0
  sqlite3 shell.db <expected.sql || fail "sqlite3 could not run expected.sql"
  expect_eq "$(schema_of shell.db)" "$(schema_of app.db)" "schema after migrate apply ($1)"
  run_capture "$MIGRATE" apply --database sqlite:app.db
  expect_rc 0
  expect_out "0 migrations applied"
  run_capture "$MIGRATE" verify --dialect sqlite
  expect_rc 0
  run_capture "$MIGRATE" status --exit-code --database sqlite:app.db
  expect_rc 0
}

test_dbmate_folder_gives_the_schema_sqlite3_gives() { applies_like_the_shell dbmate; }
test_golang_migrate_folder_gives_the_schema_sqlite3_gives() { applies_like_the_shell golang_migrate; }
test_goose_folder_gives_the_schema_sqlite3_gives() { applies_like_the_shell goose; }
test_sqlx_folder_gives_the_schema_sqlite3_gives() { applies_like_the_shell sqlx; }
test_diesel_folder_gives_the_schema_sqlite3_gives() { applies_like_the_shell diesel; }
test_prisma_folder_gives_the_schema_sqlite3_gives() { applies_like_the_shell prisma; }
test_drizzle_folder_gives_the_schema_sqlite3_gives() { applies_like_the_shell drizzle; }
test_flyway_folder_gives_the_schema_sqlite3_gives() { applies_like_the_shell flyway; }
test_popx_folder_gives_the_schema_sqlite3_gives() { applies_like_the_shell popx; }

test_no_transaction_marks_of_every_tool_are_honoured() {
  : >app.db  # an empty SQLite database: plan never creates one
  local case
  for case in diesel:2024-01-02-120000_users_index/up.sql goose:00002_users_index.sql \
              sqlx:20240102000000_index.sql flyway:V2_1_3__index.sql \
              dbmate:20240102000000_email_index.sql; do
    rm -rf migrations && "fixture_${case%%:*}" sqlite
    run_capture "$MIGRATE" plan --database sqlite:app.db
    expect_out "would apply ${case#*:} (no transaction"
  done
}

test_flyway_versions_sort_as_flyway_sorts_them_and_repeatables_rerun_when_changed() {
  fixture_flyway sqlite
  run_capture "$MIGRATE" apply --database sqlite:app.db
  expect_rc 0
  run_capture "$MIGRATE" status --database sqlite:app.db
  expect_eq "1 1.2 1.9 1.10 2.1.3 R__user_view" "$(printf '%s\n' "$out" | awk 'NR > 1 { printf "%s%s", sep, $1; sep = " " }')" "status order"
  printf -- '-- now with the id\nDROP VIEW IF EXISTS user_emails;\nCREATE VIEW user_emails AS SELECT id, email FROM users;\n' >migrations/R__user_view.sql
  run_capture "$MIGRATE" status --exit-code --database sqlite:app.db
  expect_rc 1
  expect_out "pending"
  run_capture "$MIGRATE" apply --database sqlite:app.db
  expect_rc 0
  expect_out "1 migration applied, 5 already applied"
  expect_eq "1" "$(sqlite3 app.db "SELECT count(*) FROM ballast_schema_history WHERE version = 'R__user_view'")" "rows of the repeatable"
  expect_out "applied R__user_view.sql"
  sqlite3 app.db "INSERT INTO users VALUES (7, 'a@example.com')"
  expect_eq "7|a@example.com" "$(sqlite3 app.db 'SELECT * FROM user_emails')" "the view after its change"
}

test_popx_picks_the_files_for_sqlite_and_skips_other_engines() {
  : >app.db
  fixture_popx sqlite
  run_capture "$MIGRATE" plan --database sqlite:app.db
  expect_out "would apply 20150100000001000000_networks.up.sql"
  expect_out "would apply 20200317160354000000_identities.sqlite3.up.sql"
  expect_out "would apply 20210410175418000001_index.sqlite3.up.sql"
  expect_no_out "mysql"
  expect_no_out "cockroach"
  expect_no_out "postgres.up.sql"
  expect_no_out "only_mysql"
}

test_twenty_digit_versions_apply_in_numeric_order() {
  write() { mkdir -p migrations && printf '%s\n' "$2" >"migrations/$1"; }
  write 20150100000001000000_a.sql "CREATE TABLE a (x INTEGER);"
  write 9_b.sql "CREATE TABLE b (x INTEGER);"
  write 123456789012345678901234567890_c.sql "CREATE TABLE c (x INTEGER);"
  run_capture "$MIGRATE" apply --database sqlite:app.db
  expect_rc 0
  expect_eq "9
20150100000001000000
123456789012345678901234567890" "$(sqlite3 app.db 'SELECT version FROM ballast_schema_history ORDER BY rowid')" "applied in order"
  run_capture "$MIGRATE" version --database sqlite:app.db
  expect_eq "123456789012345678901234567890" "$out" "migrate version"
}

test_an_older_integer_history_table_is_upgraded_in_place() {
  sqlite3 app.db "CREATE TABLE ballast_schema_history (module TEXT NOT NULL DEFAULT '', version INTEGER NOT NULL, name TEXT NOT NULL, sha256 TEXT NOT NULL, applied_at TEXT NOT NULL, execution_ms INTEGER NOT NULL, state TEXT NOT NULL, applied_by TEXT NOT NULL, statements_done INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (module, version));
CREATE TABLE a (x INTEGER);"
  mkdir -p migrations
  printf 'CREATE TABLE a (x INTEGER);\n' >migrations/0001_a.sql
  sha=$(sha256sum migrations/0001_a.sql | cut -d' ' -f1)
  sqlite3 app.db "INSERT INTO ballast_schema_history VALUES ('', 1, 'a', '$sha', '2026-01-01T00:00:00Z', 1, 'applied', 'old', 0)"
  printf 'CREATE TABLE b (x INTEGER);\n' >migrations/20150100000001000000_b.sql
  run_capture "$MIGRATE" apply --database sqlite:app.db
  expect_rc 0
  expect_out "1 migration applied, 1 already applied"
  expect_out "upgraded the history table"
  expect_eq "text|1
text|20150100000001000000" "$(sqlite3 app.db 'SELECT typeof(version), version FROM ballast_schema_history ORDER BY rowid')" "history after the upgrade"
}

test_format_flag_holds_a_folder_to_one_tools_names() {
  fixture_golang_migrate sqlite
  printf 'CREATE TABLE stray (x INTEGER);\n' >migrations/3_stray.sql
  run_capture "$MIGRATE" apply --database sqlite:app.db --format golang-migrate
  expect_rc 65
  expect_out "3_stray.sql: not a golang-migrate migration name (expected VERSION_NAME.up.sql)"
  expect_eq "" "$(sqlite3 app.db "SELECT name FROM sqlite_master")" "nothing created"
  run_capture env MIGRATIONS_FORMAT=nosuch "$MIGRATE" apply --database sqlite:app.db
  expect_rc 64
  expect_out "invalid MIGRATIONS_FORMAT 'nosuch': use auto, ballast, dbmate"
  run_capture "$MIGRATE" apply --database sqlite:app.db --format auto
  expect_rc 0
}

test_code_migrations_and_empty_folders_are_named_with_what_to_do() {
  mkdir -p migrations/20240101120000_empty
  printf 'CREATE TABLE a (x INTEGER);\n' >migrations/00001_a.sql
  printf 'package migrations\n' >migrations/00002_backfill.go
  run_capture "$MIGRATE" apply --database sqlite:app.db
  expect_rc 65
  expect_out "00002_backfill.go: a Go migration (goose): migrate applies SQL files only"
  expect_out "20240101120000_empty: a folder with neither migration.sql (prisma) nor up.sql (diesel)"
  expect_eq "" "$(sqlite3 app.db "SELECT name FROM sqlite_master")" "nothing created"
}

test_goose_envsub_is_refused_rather_than_run_unexpanded() {
  mkdir -p migrations
  printf -- '-- +goose ENVSUB ON\n-- +goose Up\nCREATE TABLE ${TABLE} (x INTEGER);\n' >migrations/00001_a.sql
  run_capture "$MIGRATE" apply --database sqlite:app.db
  expect_rc 65
  expect_out "uses goose's ENVSUB"
}

test_single_transaction_names_every_no_transaction_file_and_changes_nothing() {
  mkdir -p migrations
  printf 'CREATE TABLE a (x INTEGER);\n' >migrations/0001_a.sql
  for i in 2 3 4; do
    printf -- '-- migrate:no-transaction\nCREATE INDEX i%s ON a (x);\n' "$i" >"migrations/000${i}_i.sql"
  done
  run_capture "$MIGRATE" apply --database sqlite:app.db --single-transaction
  expect_rc 65
  expect_out "0002_i.sql: a no-transaction migration"
  expect_out "0003_i.sql: a no-transaction migration"
  expect_out "0004_i.sql: a no-transaction migration"
  expect_out "nothing changed"
  expect_eq "" "$(sqlite3 app.db "SELECT name FROM sqlite_master")" "not even the history table"
}

test_vacuum_runs_its_file_outside_a_transaction() {
  mkdir -p migrations
  printf 'CREATE TABLE a (x INTEGER);\n' >migrations/0001_a.sql
  printf 'DELETE FROM a;\nVACUUM;\n' >migrations/0002_vacuum.sql
  run_capture "$MIGRATE" apply --database sqlite:app.db
  expect_rc 0
  expect_out "applied 0002_vacuum.sql"
  expect_out "(no transaction)"
}

test_verify_checks_a_folder_for_the_engine_its_own_files_name() {
  fixture_prisma postgres
  mkdir -p migrations/20240103120000_jsonb
  printf 'CREATE TABLE docs (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), body jsonb NOT NULL);\n' \
    >migrations/20240103120000_jsonb/migration.sql
  run_capture "$MIGRATE" verify
  expect_rc 0
  expect_out "checking migrations as postgres (migration_lock.toml says so"
  run_capture "$MIGRATE" verify --dialect sqlite
  expect_rc 65
  expect_out "20240103120000_jsonb/migration.sql: fails on an empty SQLite database"
}

test_side_files_mounted_as_links_are_read_like_the_migrations() {
  : >app.db
  fixture_diesel sqlite
  # As a Kubernetes ConfigMap mounts them: every file a link into a data folder.
  mkdir -p ..data
  mv migrations/2024-01-02-120000_users_index/metadata.toml ..data/metadata.toml
  ln -s "$WORK/..data/metadata.toml" migrations/2024-01-02-120000_users_index/metadata.toml
  run_capture "$MIGRATE" plan --database sqlite:app.db
  expect_out "would apply 2024-01-02-120000_users_index/up.sql (no transaction"
}
