# it.pg_lint.*: the lint of dangerous DDL and the lock limits of apply, on the real PostgreSQL
# 15 the fixture runs: each rule's unsafe form is found and its safe form applies; prod refuses
# an unallowed finding and applies an allowed one; a file queued behind a long transaction
# gives up on its lock_timeout, retries, and lands once the transaction ends.

write_migration() { mkdir -p migrations && printf '%s\n' "$2" >"migrations/$1"; }

# A live table with rows, as a release finds it.
BASE="CREATE TABLE t (id bigint PRIMARY KEY, a int, b text);
INSERT INTO t SELECT g, g, g::text FROM generate_series(1, 1000) g;
ALTER TABLE t ADD CONSTRAINT a_nn CHECK (a IS NOT NULL) NOT VALID;
CREATE TABLE u (id bigint PRIMARY KEY);
INSERT INTO u SELECT g FROM generate_series(1, 1000) g;"

# hold_lock URL TABLE: a transaction holding a lock on TABLE (an open report, a stuck job),
# from a psql that reads the rest of its script from fd 7: "COMMIT;" >&7 or closing fd 7 ends it.
hold_lock() {
  mkfifo hold
  (psql -X -q -d "$1" -c "BEGIN; LOCK TABLE $2 IN ACCESS SHARE MODE; SELECT 'locked';" -f hold >holder.log 2>&1 &)
  exec 7>hold
  echo "SELECT 1;" >&7
  wait_until 30 grep -q locked holder.log
}

# lint_case RULE UNSAFE SAFE: verify names RULE (with its line) in UNSAFE and nothing blocking in
# SAFE, and SAFE really applies in prod on top of the live table.
lint_case() {
  local rule=$1 unsafe=$2 safe=$3 url
  rm -rf migrations
  write_migration 0001_base.sql "$BASE"
  "$MIGRATE" review migrations/0001_base.sql >/dev/null 2>&1 || fail "review failed"
  write_migration 0002_change.sql "$unsafe"
  run_capture "$MIGRATE" verify --dialect postgres --json
  expect_rc 65
  expect_out "\"file\":\"0002_change.sql\",\"line\":1,\"rule\":\"$rule\",\"severity\":\"error\""
  write_migration 0002_change.sql "$safe"
  "$MIGRATE" review migrations/0002_change.sql >/dev/null 2>&1 || fail "review failed"
  run_capture "$MIGRATE" verify --dialect postgres --json
  expect_rc 0
  expect_no_out "\"severity\":\"error\""
  url=$(pg_new_database)
  run_capture env BALLAST_MODE=prod "$MIGRATE" apply --database "$url"
  expect_rc 0
  expect_out "2 migrations applied"
}

test_each_blocking_rule_finds_the_unsafe_form_and_the_safe_form_applies() {
  lint_case require-concurrent-index-creation "CREATE INDEX t_a ON t (a);" \
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS t_a ON t (a);"
  lint_case constraint-missing-not-valid "ALTER TABLE t ADD CONSTRAINT a_pos CHECK (a > 0);" \
    "ALTER TABLE t ADD CONSTRAINT a_pos CHECK (a > 0) NOT VALID;"
  lint_case adding-foreign-key-constraint "ALTER TABLE t ADD CONSTRAINT t_u FOREIGN KEY (id) REFERENCES u (id);" \
    "ALTER TABLE t ADD CONSTRAINT t_u FOREIGN KEY (id) REFERENCES u (id) NOT VALID;"
  lint_case adding-not-nullable-field "ALTER TABLE t ALTER COLUMN a SET NOT NULL;" \
    "ALTER TABLE t VALIDATE CONSTRAINT a_nn;
ALTER TABLE t ALTER COLUMN a SET NOT NULL;"
  lint_case changing-column-type "ALTER TABLE t ALTER COLUMN a TYPE bigint;" \
    "ALTER TABLE t ADD COLUMN a_big bigint;"
  lint_case adding-field-with-default "ALTER TABLE t ADD COLUMN k uuid DEFAULT gen_random_uuid();" \
    "ALTER TABLE t ADD COLUMN k timestamptz DEFAULT now();"
  lint_case adding-required-field "ALTER TABLE t ADD COLUMN c text NOT NULL;" \
    "ALTER TABLE t ADD COLUMN c text NOT NULL DEFAULT '';"
  lint_case disallowed-unique-constraint "ALTER TABLE t ADD CONSTRAINT t_b UNIQUE (b);" \
    "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS t_b ON t (b);"
  lint_case renaming-column "ALTER TABLE t RENAME COLUMN b TO label;" "ALTER TABLE t ADD COLUMN label text;"
  lint_case ban-drop-column "ALTER TABLE t DROP COLUMN b;" "COMMENT ON COLUMN t.b IS 'unused since v41';"
  lint_case ban-truncate-cascade "TRUNCATE u CASCADE;" "DELETE FROM u WHERE id > 999;"
  lint_case require-concurrent-reindex "REINDEX TABLE t;" "REINDEX TABLE CONCURRENTLY t;"
}

test_a_table_created_in_the_same_file_is_exempt() {
  write_migration 0001_new.sql "CREATE TABLE n (id bigint PRIMARY KEY, a int);
CREATE INDEX n_a ON n (a);
ALTER TABLE n ADD CONSTRAINT n_pos CHECK (a > 0);
ALTER TABLE n ALTER COLUMN a SET NOT NULL;"
  "$MIGRATE" review --all >/dev/null 2>&1 || fail "review failed"
  run_capture "$MIGRATE" verify --dialect postgres
  expect_rc 0
  url=$(pg_new_database)
  run_capture env BALLAST_MODE=prod "$MIGRATE" apply --database "$url"
  expect_rc 0
}

test_prod_refuses_an_unallowed_finding_and_applies_an_allowed_one() {
  url=$(pg_new_database)
  write_migration 0001_base.sql "$BASE"
  write_migration 0002_idx.sql "CREATE INDEX t_a ON t (a);"
  run_capture "$MIGRATE" review --all --database "$url"
  expect_rc 0
  expect_out "0002_idx.sql: line 1: CREATE INDEX on \"t\" blocks its writes"
  expect_out "apply refuses it in prod unless the file says '-- migrate:allow require-concurrent-index-creation because WHY'"
  run_capture env BALLAST_MODE=prod "$MIGRATE" apply --database "$url"
  expect_rc 65
  expect_out "refusing to apply, nothing changed"
  expect_out "0002_idx.sql: line 1: CREATE INDEX on \"t\""
  expect_out "[require-concurrent-index-creation]"
  expect_eq "f" "$(pg_query "$url" "SELECT to_regclass('t') IS NOT NULL")" "nothing ran, not even the first file"
  # status shows the row as refused; dev mode applies with a warning.
  run_capture env BALLAST_MODE=prod "$MIGRATE" status --database "$url"
  expect_out "refused"
  # A waiver without a reason allows nothing.
  write_migration 0002_idx.sql "-- migrate:allow require-concurrent-index-creation
CREATE INDEX t_a ON t (a);"
  "$MIGRATE" review --all --database "$url" >/dev/null 2>&1 || fail "review failed"
  run_capture env BALLAST_MODE=prod "$MIGRATE" apply --database "$url"
  expect_rc 65
  expect_out "gives no reason"
  # With one, the reviewed file applies.
  write_migration 0002_idx.sql "-- migrate:allow require-concurrent-index-creation because t holds 1,000 rows
CREATE INDEX t_a ON t (a);"
  "$MIGRATE" review --all --database "$url" >/dev/null 2>&1 || fail "review failed"
  run_capture env BALLAST_MODE=prod "$MIGRATE" apply --database "$url"
  expect_rc 0
  expect_out "allowed: t holds 1,000 rows"
  expect_eq "t" "$(pg_query "$url" "SELECT to_regclass('t_a') IS NOT NULL")" "the index"
}

test_a_file_behind_a_long_transaction_times_out_retries_and_lands_when_it_ends() {
  url=$(pg_new_database)
  pg_query "$url" "CREATE TABLE busy (id bigint PRIMARY KEY)" >/dev/null
  write_migration 0001_col.sql "ALTER TABLE busy ADD COLUMN note text;"
  # Ended by the test once the first timeout is in the log.
  hold_lock "$url" busy
  "$MIGRATE" apply --database "$url" --pg-lock-timeout 200ms --pg-lock-retries 5 >apply.log 2>&1 &
  local apply=$!
  on_exit "kill $apply 2>/dev/null || true"
  wait_until 30 grep -q "lock_timeout (200ms) expired waiting for a lock; nothing changed; retry 1 of 5" apply.log
  # The column is not there while the lock is held; the history says nothing yet.
  expect_eq "0" "$(pg_query "$url" "SELECT count(*) FROM information_schema.columns WHERE table_name = 'busy' AND column_name = 'note'")" "column while locked"
  echo "COMMIT;" >&7
  exec 7>&-
  wait "$apply" || fail "apply failed: $(cat apply.log)"
  grep -q "1 migration applied" apply.log || fail "no success line: $(cat apply.log)"
  expect_eq "1" "$(pg_query "$url" "SELECT count(*) FROM information_schema.columns WHERE table_name = 'busy' AND column_name = 'note'")" "column after"
}

test_a_lock_that_never_frees_gives_up_after_the_retries_and_changes_nothing() {
  url=$(pg_new_database)
  pg_query "$url" "CREATE TABLE busy (id bigint PRIMARY KEY)" >/dev/null
  write_migration 0001_col.sql "ALTER TABLE busy ADD COLUMN note text;"
  hold_lock "$url" busy
  on_exit "exec 7>&-"
  run_capture "$MIGRATE" apply --database "$url" --pg-lock-timeout 100ms --pg-lock-retries 1
  expect_rc 65
  expect_out "retry 1 of 1"
  expect_out "canceling statement due to lock timeout"
  expect_out "gave up after 2 tries of lock_timeout 100ms"
  expect_eq "0" "$(pg_query "$url" "SELECT count(*) FROM ballast_schema_history")" "history"
  # statement_timeout ends a statement that runs too long, and is not retried.
  write_migration 0001_col.sql "SELECT pg_sleep(5);"
  run_capture "$MIGRATE" apply --database "$url" --pg-statement-timeout 200ms
  expect_rc 65
  expect_out "canceling statement due to statement timeout"
  expect_no_out "retry"
}

test_no_transaction_files_get_the_same_limits() {
  url=$(pg_new_database)
  pg_query "$url" "CREATE TABLE busy (id bigint PRIMARY KEY, v text)" >/dev/null
  write_migration 0001_idx.sql "-- migrate:no-transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS busy_v ON busy (v);"
  run_capture "$MIGRATE" apply --database "$url" --pg-lock-timeout 3s
  expect_rc 0
  expect_eq "t" "$(pg_query "$url" "SELECT to_regclass('busy_v') IS NOT NULL")" "index"
}

test_blocking_findings_match_squawks_on_a_shared_set() {
  command -v squawk >/dev/null || skip "squawk not installed; run scripts/bootstrap"
  mkdir -p migrations
  : >migrations/reviewed.sum
  local i=0 sql
  while IFS= read -r sql; do
    i=$((i + 1))
    printf '%b\n' "$sql" >"migrations/$(printf '%04d' "$i")_case.sql"
  done <<'CASES'
CREATE INDEX t_a ON t (a);
CREATE INDEX CONCURRENTLY t_a ON t (a);
CREATE TABLE n (id bigint, a int8);\nCREATE INDEX n_a ON n (a);
ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES u (id);
ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES u (id) NOT VALID;
ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0);
ALTER TABLE t ALTER COLUMN a SET NOT NULL;
ALTER TABLE t ALTER COLUMN a TYPE bigint;
ALTER TABLE t ADD COLUMN b uuid DEFAULT gen_random_uuid();
ALTER TABLE t ADD COLUMN b timestamptz DEFAULT now();
ALTER TABLE t ADD COLUMN b text NOT NULL;
ALTER TABLE t ADD CONSTRAINT u UNIQUE (a);
ALTER TABLE t RENAME COLUMN a TO b;
ALTER TABLE t RENAME TO u;
ALTER TABLE t DROP COLUMN a;
DROP TABLE t;
DROP INDEX i;
REINDEX TABLE t;
ALTER TABLE t DETACH PARTITION p;
TRUNCATE t CASCADE;
ALTER TABLE t ALTER COLUMN a DROP NOT NULL;
CASES
  "$MIGRATE" verify --dialect postgres --json --log-level off >ballast.json
  squawk --assume-in-transaction --reporter json 'migrations/*.sql' >squawk.json 2>/dev/null
  # For every rule both tools have, the files each reports it in. squawk also names a foreign
  # key or a UNIQUE constraint constraint-missing-not-valid; Ballast gives one rule per statement
  # (docs/lint/squawk.md).
  jq -r '.problems[] | select(.line != null) | "\(.file) \(.rule)"' ballast.json | sort -u >ours
  jq -r '.[] | "\(.file | sub("^migrations/"; "")) \(.rule_name)"' squawk.json | sort -u >theirs
  local shared
  shared=$(cut -d' ' -f2 ours | sort -u | grep -Fxf - <(cut -d' ' -f2 theirs | sort -u))
  [ "$(echo "$shared" | grep -c .)" -ge 15 ] || fail "too few shared rules: $shared"
  grep -Fwf <(echo "$shared") ours >ours.shared
  grep -E ' (adding-foreign-key-constraint|disallowed-unique-constraint)$' ours | cut -d' ' -f1 |
    sed 's/$/ constraint-missing-not-valid/' >second_names
  grep -Fwf <(echo "$shared") theirs | grep -Fxvf second_names >theirs.shared
  diff ours.shared theirs.shared >diff.txt || fail "findings differ from squawk's: $(cat diff.txt)"
}
