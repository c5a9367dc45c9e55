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
  expect_rc 69
  expect_out "sqlite:app.db does not exist"
  [ ! -e app.db ] || fail "status created the database file"
  : >app.db  # an empty file is an empty SQLite database
  run_capture "$MIGRATE" status --exit-code --database sqlite:app.db
  expect_rc 1
  expect_out "pending"
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
  expect_out "migrations/1_b.sql: has the same version 1 as 0001_a.sql"
  [ ! -e app.db ] || fail "the database was created although the folder is bad"
}

test_unknown_sql_file_is_refused_and_other_files_are_left_alone() {
  write_migration 0001_a.sql "SELECT 1;"
  write_migration create.sql "SELECT 2;"
  write_migration notes.txt "hello"
  write_migration .keep ""
  run_capture "$MIGRATE" apply --database sqlite:app.db
  expect_rc 65
  expect_out "create.sql: not a migration file name"
  expect_no_out "notes.txt"
  rm migrations/create.sql
  run_capture "$MIGRATE" apply --database sqlite:app.db
  expect_rc 0
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
    case "$line" in '{"time":"'*'","level":"'*'","program":"migrate","message":"'*'}') ;;
      *) fail "not a JSON log line: $line" ;; esac
    printf '%s' "$line" | jq -e '(.message | type) == "string" and .program == "migrate"' >/dev/null ||
      fail "not one JSON object: $line"
  done <<<"$out"
}

# --- review, generated files, prod ------------------------------------------------------------

reviewed_folder() {
  write_migration 0001_a.sql "CREATE TABLE a (id INTEGER PRIMARY KEY);"
  write_migration 0002_b.sql "CREATE TABLE b (id INTEGER PRIMARY KEY);"
  "$MIGRATE" review --all >/dev/null 2>&1 || fail "review --all failed"
}

test_review_writes_a_ledger_sha256sum_can_check() {
  reviewed_folder
  (cd migrations && sha256sum -c --quiet reviewed.sum) || fail "sha256sum -c rejects the ledger"
  expect_eq "2" "$(wc -l <migrations/reviewed.sum)" "ledger lines"
  run_capture env MODE=prod "$MIGRATE" apply --database sqlite:app.db
  expect_rc 0
  expect_out "2 migrations applied"
}

test_prod_refuses_unreviewed_mismatched_and_crlf_changed_files_applying_nothing() {
  reviewed_folder
  write_migration 0003_c.sql "CREATE TABLE c (id INTEGER);"
  printf 'CREATE TABLE b (id INTEGER PRIMARY KEY);\r\n' >migrations/0002_b.sql  # only the line ending changed
  run_capture env MODE=prod "$MIGRATE" apply --database sqlite:app.db
  expect_rc 65
  expect_out "refusing to apply, nothing changed (2 problems)"
  expect_out "0002_b.sql: changed since review"
  expect_out "0003_c.sql: not reviewed: not in reviewed.sum"
  [ -z "$(sqlite3 app.db "SELECT name FROM sqlite_master" 2>/dev/null)" ] || fail "something was written to the database"
  # Outside prod the same findings are warnings and the files apply.
  run_capture "$MIGRATE" apply --database sqlite:app.db
  expect_rc 0
  expect_out "warning: 0003_c.sql: not reviewed"
}

test_generated_files_are_refused_in_prod_and_cannot_be_reviewed() {
  write_migration 0001_a.sql "CREATE TABLE a (id INTEGER);
--> statement-breakpoint
CREATE TABLE b (id INTEGER);"
  run_capture "$MIGRATE" review --all
  expect_rc 65
  expect_out "refusing to record generated files as reviewed"
  run_capture env MODE=prod "$MIGRATE" apply --database sqlite:app.db
  expect_rc 65
  expect_out "0001_a.sql: generated (drizzle-kit's '--> statement-breakpoint')"
  rm migrations/0001_a.sql
  write_migration 0001_a.sql "CREATE TABLE a (id INTEGER);"
  mkdir -p migrations/meta
  echo '{"version":"7","dialect":"sqlite","entries":[{"idx":0,"version":"6","when":1700000000000,"tag":"0001_a","breakpoints":true}]}' >migrations/meta/_journal.json
  run_capture env MODE=prod "$MIGRATE" apply --database sqlite:app.db
  expect_rc 65
  expect_out "drizzle-kit's meta/_journal.json beside it"
}

test_out_of_order_pending_version_is_refused_in_prod_unless_allowed() {
  write_migration 0002_b.sql "CREATE TABLE b (id INTEGER);"
  "$MIGRATE" review --all >/dev/null 2>&1
  MODE=prod "$MIGRATE" apply --database sqlite:app.db >/dev/null 2>&1 || fail "first apply failed"
  write_migration 0001_a.sql "CREATE TABLE a (id INTEGER);"
  "$MIGRATE" review --all >/dev/null 2>&1
  run_capture env MODE=prod "$MIGRATE" apply --database sqlite:app.db
  expect_rc 65
  expect_out "out of order: version 1 is below the highest applied, 2"
  run_capture env MODE=prod "$MIGRATE" apply --database sqlite:app.db --allow-out-of-order
  expect_rc 0
}

test_status_marks_refused_rows_with_their_reason() {
  write_migration 0001_a.sql "CREATE TABLE a (id INTEGER);"
  : >app.db
  run_capture env MODE=prod "$MIGRATE" status --database sqlite:app.db --json
  expect_rc 0
  expect_out '"state":"refused"'
  expect_out '"reason":"not reviewed'
}

test_plan_shows_what_apply_would_do_and_writes_nothing() {
  reviewed_folder
  run_capture "$MIGRATE" plan --database sqlite:app.db
  expect_rc 69
  [ ! -e app.db ] || fail "plan created the database file"
  : >app.db
  run_capture "$MIGRATE" plan --database sqlite:app.db
  expect_rc 0
  expect_out "would apply 0001_a.sql"
  expect_out "plan: 2 pending, apply would go ahead"
  [ ! -s app.db ] || fail "plan wrote to the database file"
  write_migration 0003_c.sql "SELECT 1;"
  run_capture env MODE=prod "$MIGRATE" plan --database sqlite:app.db
  expect_rc 65
  expect_out "refused: 0003_c.sql: not reviewed"
}

test_review_and_new_are_refused_in_prod() {
  write_migration 0001_a.sql "SELECT 1;"
  run_capture env MODE=prod "$MIGRATE" review --all
  expect_rc 78
  run_capture env MODE=prod "$MIGRATE" new add_x
  expect_rc 78
}

test_new_creates_the_next_version_from_a_template() {
  write_migration 0007_a.sql "SELECT 1;"
  run_capture "$MIGRATE" new add_email
  expect_rc 0
  expect_out "migrations/0008_add_email.sql"
  [ -f migrations/0008_add_email.sql ] || fail "no file"
  run_capture "$MIGRATE" new "Add users' e-mail!"
  expect_rc 0
  [ -f migrations/0009_add_users_e_mail.sql ] || fail "the name was not made a slug: $(ls migrations)"
  run_capture "$MIGRATE" new "!!!"
  expect_rc 64
}

test_verify_lists_every_problem_offline() {
  reviewed_folder
  write_migration 0003_c.sql "CREATE TABLE c (id INTEGER REFERENCES nope);
INSERT INTO missing VALUES (1);"
  run_capture "$MIGRATE" verify
  expect_rc 65
  expect_out "0003_c.sql: not reviewed"
  expect_out "0003_c.sql: fails on an empty SQLite database at line 2: no such table: missing"
  [ ! -e data ] || fail "verify created a database"
}

test_verify_catches_a_postgres_syntax_error_offline() {
  write_migration 0001_a.sql "CREATE TABLE a (id int);"
  write_migration 0002_b.sql "CREATE TABLE b (id int);
SELEC 1;"
  "$MIGRATE" review --all >/dev/null 2>&1
  run_capture "$MIGRATE" verify --dialect postgres
  expect_rc 65
  expect_out "0002_b.sql: syntax error at line 2: syntax error at or near \"SELEC\""
  run_capture env DATABASE_URL=postgres://nowhere.invalid/x "$MIGRATE" verify
  expect_rc 65
  expect_out "syntax error at line 2"
}

test_single_transaction_is_all_or_nothing() {
  write_migration 0001_a.sql "CREATE TABLE a (id INTEGER);"
  write_migration 0002_b.sql "CREATE TABLE b (id INTEGER);"
  write_migration 0003_c.sql "INSERT INTO nowhere VALUES (1);"
  run_capture "$MIGRATE" apply --database sqlite:app.db --single-transaction
  expect_rc 65
  expect_out "0003_c.sql failed at line 1"
  expect_eq "" "$(sqlite3 app.db "SELECT name FROM sqlite_master WHERE name IN ('a','b')")" "tables after a failed release"
  write_migration 0003_c.sql "CREATE TABLE c (id INTEGER);"
  run_capture "$MIGRATE" apply --database sqlite:app.db --single-transaction
  expect_rc 0
  expect_out "applied 3 migrations in one transaction"
}

test_no_transaction_failure_is_recorded_and_refused_until_resolved() {
  write_migration 0001_a.sql "-- migrate:no-transaction
CREATE TABLE a (id INTEGER);
INSERT INTO a VALUES (1);
INSERT INTO nowhere VALUES (2);
INSERT INTO a VALUES (3);"
  run_capture "$MIGRATE" apply --database sqlite:app.db
  expect_rc 65
  expect_eq "failed|2" "$(sqlite3 app.db "SELECT state, statements_done FROM ballast_schema_history")" "history"
  expect_eq "1" "$(sqlite3 app.db "SELECT count(*) FROM a")" "rows that stay (no transaction)"
  run_capture "$MIGRATE" apply --database sqlite:app.db
  expect_rc 65
  expect_out "failed part-way in an earlier run"
  run_capture "$MIGRATE" resolve 1 --applied --database sqlite:app.db
  expect_rc 0
  run_capture "$MIGRATE" apply --database sqlite:app.db
  expect_rc 0
  expect_out "0 migrations applied, 1 already applied"
}

test_five_concurrent_runners_on_one_sqlite_file_apply_each_file_once() {
  for i in $(seq -w 1 30); do write_migration "00${i}_t.sql" "CREATE TABLE t$i (id INTEGER);"; done
  pids=()
  for r in 1 2 3 4 5; do
    "$MIGRATE" apply --database sqlite:app.db >"runner$r.log" 2>&1 &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || fail "a runner failed: $(cat runner*.log)"; done
  expect_eq "30|30" "$(sqlite3 app.db 'SELECT count(*), count(DISTINCT version) FROM ballast_schema_history')" "history rows"
}

test_golang_migrate_and_flyway_files_apply_as_they_are() {
  write_migration 0001_a.up.sql "CREATE TABLE a (id INTEGER);"
  write_migration 0001_a.down.sql "DROP TABLE a;"
  write_migration V2__b.sql "CREATE TABLE b (id INTEGER);"
  run_capture "$MIGRATE" apply --database sqlite:app.db
  expect_rc 0
  expect_eq "1|a
2|b" "$(sqlite_query app.db 'SELECT version, name FROM ballast_schema_history ORDER BY version')" "history"
}

test_wait_timeout_retries_a_database_that_is_not_up() {
  write_migration 0001_a.sql "SELECT 1;"
  start=$(date +%s%N)
  run_capture "$MIGRATE" status --database "postgres://x@127.0.0.1:1/x?connect_timeout=1" --wait-timeout 1500ms
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  expect_rc 69
  expect_out "waiting for postgres://x@127.0.0.1:1/x?connect_timeout=1 to accept connections"
  [ "$ms" -ge 1400 ] || fail "gave up after ${ms}ms, before --wait-timeout"
}

test_a_bad_folder_is_named_before_a_server_that_is_down_with_or_without_waiting() {
  # Analysed after connecting when no wait is asked for (the files the history holds need no
  # analysis), before connecting when one is: either way the folder's problem is what is said.
  write_migration 0001_a.sql "CREATE TABLE a (x INTEGER);
COMMIT;"
  run_capture "$MIGRATE" apply --database "postgres://x@127.0.0.1:1/x?connect_timeout=1"
  expect_rc 65
  expect_out "0001_a.sql: COMMIT at line 2 in a file that runs in a transaction"
  start=$(date +%s%N)
  run_capture "$MIGRATE" apply --database "postgres://x@127.0.0.1:1/x?connect_timeout=1" --wait-timeout 1m
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  expect_rc 65
  expect_out "0001_a.sql: COMMIT at line 2 in a file that runs in a transaction"
  [ "$ms" -lt 30000 ] || fail "waited ${ms}ms for a server before naming the bad folder"
  expect_no_out "waiting for"
}

test_database_url_file_is_read_when_migrate_runs_without_entrypoint() {
  write_migration 0001_a.sql "CREATE TABLE a (id INTEGER PRIMARY KEY);"
  printf 'sqlite:from-secret.db\n' >db_url
  DATABASE_URL_FILE=$PWD/db_url run_capture "$MIGRATE" apply
  expect_rc 0
  expect_out "1 migration applied"
  expect_no_out "from-secret.db"  # a value read from a secret file is masked in logs
  [ -f from-secret.db ] || fail "the database named in DATABASE_URL_FILE was not used"
  DATABASE_URL_FILE=$PWD/no-such-file run_capture "$MIGRATE" status
  expect_rc 78
  expect_out "DATABASE_URL_FILE: unable to read $PWD/no-such-file"
  DATABASE_URL_FILE=$PWD/db_url DATABASE_URL=sqlite:other.db run_capture "$MIGRATE" status
  expect_rc 78
  expect_out "both DATABASE_URL and DATABASE_URL_FILE are set"
}

test_runners_started_during_a_no_transaction_file_wait_for_it_instead_of_failing() {
  sqlite3 app.db 'PRAGMA journal_mode=WAL;' >/dev/null  # readers (this test) never wait
  # Statement 1 is quick, statement 2 runs for a while: the history row says 'running' then.
  write_migration 0001_slow.sql "-- migrate:no-transaction
CREATE TABLE t (x INTEGER);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 4000000)
INSERT INTO t SELECT i FROM c;"
  "$MIGRATE" apply --database sqlite:app.db >first.log 2>&1 &
  first=$!
  running() { [ "$(sqlite3 app.db "SELECT state FROM ballast_schema_history" 2>/dev/null)" = running ]; }
  wait_until 60 running
  pids=()
  for r in 1 2 3 4 5 6 7 8 9; do
    "$MIGRATE" apply --database sqlite:app.db --lock-timeout 5m >"runner$r.log" 2>&1 &
    pids+=($!)
  done
  running || fail "the first runner left its file before the others started: make the slow statement slower"
  wait "$first" || fail "the first runner failed: $(cat first.log)"
  for p in "${pids[@]}"; do wait "$p" || fail "a runner failed instead of waiting: $(cat runner*.log)"; done
  expect_eq "applied|2" "$(sqlite3 app.db 'SELECT state, statements_done FROM ballast_schema_history')" "history"
  grep -l "0 migrations applied, 1 already applied" runner*.log | wc -l | grep -qx 9 ||
    fail "every later runner should find the file applied: $(cat runner*.log)"
}

test_a_commit_inside_a_transactional_file_is_refused_before_anything_of_it_stays() {
  write_migration 0001_a.sql "CREATE TABLE a (x INTEGER);
COMMIT;
INSERT INTO missing VALUES (1);"
  run_capture "$MIGRATE" apply --database sqlite:app.db
  expect_rc 65
  expect_out "0001_a.sql: COMMIT at line 2 in a file that runs in a transaction"
  expect_out "-- migrate:no-transaction"
  expect_eq "" "$(sqlite3 app.db "SELECT name FROM sqlite_master")" "tables after the refusal (not even the history)"
  # The same file marked no-transaction manages its own transactions: it runs.
  write_migration 0001_a.sql "-- migrate:no-transaction
BEGIN;
CREATE TABLE a (x INTEGER);
COMMIT;"
  run_capture "$MIGRATE" apply --database sqlite:app.db
  expect_rc 0
}

test_a_file_applied_before_its_form_was_refused_does_not_stop_the_next_and_verify_names_it() {
  # Applied as it is by an earlier runner (one that did not check transaction control): apply
  # never runs it again, so an unchanged copy does not stop the files after it.
  write_migration 0001_a.sql "CREATE TABLE a (x INTEGER);"
  "$MIGRATE" apply --database sqlite:app.db >/dev/null 2>&1 || fail "first apply failed"
  write_migration 0002_b.sql "CREATE TABLE b (x INTEGER);
COMMIT;
BEGIN;
CREATE TABLE c (x INTEGER);"
  sqlite_query app.db "CREATE TABLE b (x INTEGER); CREATE TABLE c (x INTEGER);
INSERT INTO ballast_schema_history (module, version, name, sha256, applied_at, execution_ms, state, applied_by)
VALUES ('', '2', 'b', '$(sha256sum migrations/0002_b.sql | cut -d' ' -f1)', '2026-01-01T00:00:00Z', 1, 'applied', 'older');"
  write_migration 0003_d.sql "CREATE TABLE d (x INTEGER);"
  run_capture "$MIGRATE" apply --database sqlite:app.db
  expect_rc 0
  expect_out "1 migration applied, 2 already applied"
  expect_eq "d" "$(sqlite_query app.db "SELECT name FROM sqlite_master WHERE name = 'd'")" "table d"
  # verify reads every file whole: the form is still named there.
  run_capture "$MIGRATE" verify
  expect_rc 65
  expect_out "0002_b.sql: COMMIT at line 2 in a file that runs in a transaction"
  # Changed after it was applied, the file is read whole again and its form refused.
  write_migration 0002_b.sql "CREATE TABLE b (x INTEGER);
COMMIT;"
  write_migration 0004_e.sql "CREATE TABLE e (x INTEGER);"
  run_capture "$MIGRATE" apply --database sqlite:app.db
  expect_rc 65
  expect_out "0002_b.sql: COMMIT at line 2 in a file that runs in a transaction"
  expect_eq "" "$(sqlite_query app.db "SELECT name FROM sqlite_master WHERE name = 'e'")" "table e"
}

test_a_begin_commit_wrapper_around_a_whole_file_stands_for_migrates_own_transaction() {
  write_migration 0001_a.sql "BEGIN TRANSACTION;
CREATE TABLE a (x INTEGER);
CREATE TRIGGER t AFTER INSERT ON a BEGIN
  UPDATE a SET x = x + 1;
END;
COMMIT;"
  write_migration 0002_b.sql "BEGIN;
INSERT INTO a VALUES (1);
INSERT INTO missing VALUES (1);
END;"
  run_capture "$MIGRATE" apply --database sqlite:app.db
  expect_rc 65
  expect_out "0002_b.sql failed at line 3: no such table: missing"
  expect_eq "1" "$(sqlite3 app.db 'SELECT version FROM ballast_schema_history')" "history"
  expect_eq "0" "$(sqlite3 app.db 'SELECT count(*) FROM a')" "rows of the failed file"
  run_capture "$MIGRATE" verify --dialect sqlite
  expect_no_out "transaction"
}

test_a_nul_byte_in_a_migration_is_refused_with_its_line_and_nothing_runs() {
  mkdir -p migrations
  printf 'CREATE TABLE a (x INTEGER);\nCREATE TABLE b (x\0 INTEGER);\n' >migrations/0001_a.sql
  run_capture "$MIGRATE" apply --database sqlite:app.db
  expect_rc 65
  expect_out "0001_a.sql: contains a NUL byte at line 2"
  expect_eq "" "$(sqlite3 app.db "SELECT name FROM sqlite_master WHERE name = 'a'" 2>/dev/null)" "tables"
  run_capture "$MIGRATE" verify --dir migrations
  expect_rc 65
  expect_out "contains a NUL byte at line 2"
}

# small_filesystem SIZE: a tmpfs of SIZE mounted on ./mnt for this test (root only).
small_filesystem() {
  [ "$(id -u)" = 0 ] || skip "needs root to mount a filesystem"
  mkdir mnt
  mount -t tmpfs -o "size=$1" tmpfs mnt || skip "cannot mount tmpfs here"
  on_exit "umount -l $WORK/mnt"
}

test_a_read_only_database_is_one_clear_line_and_exit_77() {
  small_filesystem 4M
  write_migration 0001_a.sql "CREATE TABLE a (x INTEGER);"
  run_capture "$MIGRATE" apply --database sqlite:mnt/app.db
  expect_rc 0
  write_migration 0002_b.sql "CREATE TABLE b (x INTEGER);"
  mount -o remount,ro mnt
  run_capture "$MIGRATE" apply --database sqlite:mnt/app.db
  expect_rc 77
  expect_out "sqlite:mnt/app.db is read-only"
  expect_eq 1 "$(printf '%s\n' "$out" | grep -c .)" "lines of output"
  run_capture "$MIGRATE" apply --database sqlite:mnt/new.db
  expect_rc 77
  expect_out "unable to create sqlite:mnt/new.db: its folder mnt cannot be written (Read-only file system)"
  run_capture "$MIGRATE" status --database sqlite:mnt/app.db
  expect_rc 0  # reading a read-only database is fine
  expect_out "0002_b.sql"
}

test_a_full_filesystem_rolls_the_file_back_names_enospc_and_converges_after() {
  small_filesystem 1M
  write_migration 0001_a.sql "CREATE TABLE a (x INTEGER);"
  write_migration 0002_big.sql "CREATE TABLE big (b BLOB);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 40)
INSERT INTO big SELECT randomblob(50000) FROM c;"
  run_capture "$MIGRATE" apply --database sqlite:mnt/app.db
  expect_rc 65
  expect_out "0002_big.sql"
  expect_out "ENOSPC"
  expect_eq "ok" "$(sqlite3 mnt/app.db 'PRAGMA integrity_check')" "integrity after ENOSPC"
  expect_eq "1|applied" "$(sqlite3 mnt/app.db 'SELECT version, state FROM ballast_schema_history')" "history after ENOSPC"
  expect_eq "" "$(sqlite3 mnt/app.db "SELECT name FROM sqlite_master WHERE name = 'big'")" "the failed file's table"
  mount -o remount,size=16M mnt
  run_capture "$MIGRATE" apply --database sqlite:mnt/app.db
  expect_rc 0
  expect_out "1 migration applied, 1 already applied"
  expect_eq "40" "$(sqlite3 mnt/app.db 'SELECT count(*) FROM big')" "rows after the rerun"
}
