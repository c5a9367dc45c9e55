# it.migrate_schema.*: the schema recorded at apply, drift made by hand, and the SQLite snapshot
# before apply restored by the steps docs/migrate.md gives — on real SQLite files.

write_migration() { mkdir -p migrations && printf '%s\n' "$2" >"migrations/$1"; }

test_apply_writes_the_schema_and_drift_lists_what_changed_by_hand() {
  write_migration 0001_users.sql "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);
CREATE INDEX users_email ON users (email);"
  run_capture "$MIGRATE" apply -d sqlite:app.db --schema-file schema.sql
  expect_rc 0
  expect_eq "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);
CREATE INDEX users_email ON users (email);" "$(cat schema.sql)" "schema file"
  expect_eq "$(cat schema.sql)" "$("$MIGRATE" schema -d sqlite:app.db 2>/dev/null)" "migrate schema"
  run_capture "$MIGRATE" drift -d sqlite:app.db
  expect_rc 0
  expect_out "no drift"
  # Someone mends production by hand.
  sqlite3 app.db "ALTER TABLE users ADD COLUMN note TEXT; CREATE INDEX users_note ON users (note); DROP INDEX users_email;"
  run_capture "$MIGRATE" drift -d sqlite:app.db
  expect_rc 1
  expect_out "changed: TABLE users: CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, note TEXT)"
  expect_out "added:   INDEX users_note: CREATE INDEX users_note ON users (note)"
  expect_out "removed: INDEX users_email"
  expect_out "drift: 3 changes"
  run_capture "$MIGRATE" status --json -d sqlite:app.db
  expect_out '"drift":true'
  # The next apply that changes something records the schema as it then is.
  write_migration 0002_more.sql "CREATE TABLE more (id INTEGER PRIMARY KEY);"
  "$MIGRATE" apply -d sqlite:app.db >/dev/null 2>&1 || fail "apply failed"
  run_capture "$MIGRATE" drift -d sqlite:app.db --json
  expect_rc 0
  expect_out '"recorded":true,"drift":false,"changes":[]'
}

test_drift_without_a_recorded_schema_says_how_to_get_one() {
  sqlite3 app.db "CREATE TABLE t (id INTEGER);"
  write_migration 0001_a.sql "CREATE TABLE a (id INTEGER);"
  run_capture "$MIGRATE" drift -d sqlite:app.db
  expect_rc 1
  expect_out "no schema recorded in sqlite:app.db"
  run_capture "$MIGRATE" status --json -d sqlite:app.db
  expect_out '"drift":null'
}

test_an_apply_killed_before_it_recorded_the_schema_is_completed_by_the_next_noop_apply() {
  write_migration 0001_a.sql "CREATE TABLE a (id INTEGER);"
  "$MIGRATE" apply -d sqlite:app.db >/dev/null 2>&1 || fail "first apply failed"
  old=$(sqlite3 app.db "SELECT schema_after FROM ballast_schema_history WHERE version = '1'")
  write_migration 0002_b.sql "CREATE TABLE b (id INTEGER);"
  "$MIGRATE" apply -d sqlite:app.db >/dev/null 2>&1 || fail "second apply failed"
  # What a kill -9 after 0002's commit and before the recording leaves: 0001's schema, stale.
  sqlite3 app.db "UPDATE ballast_schema_history SET schema_after = NULL;
UPDATE ballast_schema_history SET schema_after = '$old' WHERE version = '1';"
  run_capture "$MIGRATE" drift -d sqlite:app.db
  expect_rc 1
  run_capture "$MIGRATE" apply -d sqlite:app.db
  expect_rc 0
  expect_out "recording the schema as of 2"
  run_capture "$MIGRATE" drift -d sqlite:app.db
  expect_rc 0
  expect_out "no drift"
  expect_eq "2" "$(sqlite3 app.db "SELECT version FROM ballast_schema_history WHERE schema_after IS NOT NULL")" "row holding the schema"
  # Once recorded, a no-op apply writes nothing.
  run_capture "$MIGRATE" apply -d sqlite:app.db
  expect_rc 0
  expect_no_out "recording the schema"
}

test_a_snapshot_restored_by_the_documented_steps_gives_the_previous_schema_and_data() {
  write_migration 0001_accounts.sql "CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT);
INSERT INTO accounts VALUES (1, 'ada'), (2, 'grace');"
  mkdir data
  "$MIGRATE" apply -d sqlite:data/app.sqlite3 >/dev/null 2>&1 || fail "first apply failed"
  before_schema=$("$MIGRATE" schema -d sqlite:data/app.sqlite3 2>/dev/null)
  # A release that loses data.
  write_migration 0002_split.sql "ALTER TABLE accounts ADD COLUMN email TEXT;
DELETE FROM accounts WHERE id = 2;"
  run_capture "$MIGRATE" apply -d sqlite:data/app.sqlite3 --backup backups --backup-keep 2
  expect_rc 0
  expect_out "backed up sqlite:data/app.sqlite3 (version 1,"
  copy=$(ls backups/app-*-v1.sqlite3) || fail "no copy named after version 1: $(ls backups)"
  expect_eq "600" "$(stat -c %a "$copy")" "the copy's mode"
  expect_eq "700" "$(stat -c %a backups)" "the backups folder's mode"
  # The documented restore: stop the app, copy the snapshot over the database, drop the
  # WAL files of the replaced database.
  cp "$copy" data/app.sqlite3
  rm -f data/app.sqlite3-wal data/app.sqlite3-shm
  expect_eq "$before_schema" "$("$MIGRATE" schema -d sqlite:data/app.sqlite3 2>/dev/null)" "schema after restore"
  expect_eq "1|ada
2|grace" "$(sqlite3 data/app.sqlite3 'SELECT id, name FROM accounts ORDER BY id')" "data after restore"
  run_capture "$MIGRATE" status -d sqlite:data/app.sqlite3
  expect_out "pending"
  # Only the last --backup-keep copies stay.
  for v in 3 4 5; do
    write_migration "000${v}_t.sql" "CREATE TABLE t$v (id INTEGER);"
    "$MIGRATE" apply -d sqlite:data/app.sqlite3 --backup backups --backup-keep 2 >/dev/null 2>&1 || fail "apply $v failed"
  done
  expect_eq "2" "$(ls backups | grep -c '\.sqlite3$')" "copies kept"
}

test_apply_refuses_when_the_snapshot_cannot_be_written() {
  write_migration 0001_a.sql "CREATE TABLE a (id INTEGER);"
  touch not-a-folder
  run_capture "$MIGRATE" apply -d sqlite:app.db --backup not-a-folder/backups
  expect_rc 77
  expect_out "--backup not-a-folder/backups"
  expect_out "nothing was applied"
  expect_eq "0" "$(sqlite3 app.db "SELECT count(*) FROM sqlite_master WHERE name = 'a'")" "table a"
  # Without pending files there is nothing to protect, and no copy is taken.
  run_capture "$MIGRATE" apply -d sqlite:app.db
  expect_rc 0
  run_capture "$MIGRATE" apply -d sqlite:app.db --backup not-a-folder/backups
  expect_rc 0
}
