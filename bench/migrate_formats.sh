#!/usr/bin/env bash
# migrate apply of a 1,000-file folder mixing other tools' layouts (dbmate sections, golang-
# migrate up/down files with BEGIN/COMMIT wrappers, goose annotations, popx dialect files with
# 20-digit versions), next to the databases' shells running the same statements one
# transaction per file and dbmate on the same statements in its own layout, on PostgreSQL 15 and
# SQLite; and the cost of reading such a folder: a no-op apply of it next to a no-op apply of
# the same statements as plain Ballast files. Writes bench/results/migrate-formats.md. Needs root.
. "$(dirname "$0")/lib.sh"
need dbmate psql sqlite3 createdb dropdb
# Nine runs: a full apply is ~4,000 fsyncs, and the medians of five moved 0.98x-1.20x between
# runs of the same build on a shared VM.
runs=${RUNS:-9}
n=${MIGRATIONS:-1000}
with_postgres formats

mixed=$work/mixed plain=$work/plain dbm=$work/dbmate
mkdir -p "$mixed" "$plain" "$dbm"
: >"$work/per_file_tx.sql"
# The shell with a history row in each file's transaction, in a table shaped like migrate's: what
# any tool that records what it applied must write (a reference, not the target's floor).
echo "CREATE TABLE h (module TEXT NOT NULL DEFAULT '', version TEXT NOT NULL, name TEXT NOT NULL, sha256 TEXT NOT NULL, applied_at TEXT NOT NULL, execution_ms INTEGER NOT NULL, state TEXT NOT NULL, applied_by TEXT NOT NULL, statements_done INTEGER NOT NULL DEFAULT 0, schema_after TEXT, PRIMARY KEY (module, version));" >"$work/per_file_tx_history.sql"
for i in $(seq 1 "$n"); do
  v=$(printf '2024010100000%07d' "$i")
  t=t$i
  body="CREATE TABLE $t (id integer PRIMARY KEY, v text);
CREATE INDEX ${t}_v ON $t (v);
INSERT INTO $t VALUES (1, 'a'), (2, 'b'), (3, 'c');"
  case $((i % 4)) in
    0) printf -- '-- migrate:up\n%s\n\n-- migrate:down\nDROP TABLE %s;\n' "$body" "$t" >"$mixed/${v}_$t.sql" ;;
    1) printf 'BEGIN;\n%s\nCOMMIT;\n' "$body" >"$mixed/${v}_$t.up.sql"
       printf 'DROP TABLE %s;\n' "$t" >"$mixed/${v}_$t.down.sql" ;;
    2) printf -- '-- +goose Up\n-- +goose StatementBegin\n%s\n-- +goose StatementEnd\n-- +goose Down\nDROP TABLE %s;\n' "$body" "$t" >"$mixed/${v}_$t.sql" ;;
    3) printf '%s\n' "$body" >"$mixed/${v}_$t.postgres.up.sql"
       printf '%s\n' "$body" >"$mixed/${v}_$t.sqlite3.up.sql"
       printf 'CREATE TABLE %s (id int) ENGINE=InnoDB;\n' "$t" >"$mixed/${v}_$t.mysql.up.sql"
       printf 'DROP TABLE %s;\n' "$t" >"$mixed/${v}_$t.down.sql" ;;
  esac
  printf '%s\n' "$body" >"$plain/${v}_$t.sql"
  printf -- '-- migrate:up\n%s\n\n-- migrate:down\nDROP TABLE %s;\n' "$body" "$t" >"$dbm/${v}_$t.sql"
  printf 'BEGIN;\n%s\nCOMMIT;\n' "$body" >>"$work/per_file_tx.sql"
  printf "BEGIN;\n%s\nINSERT INTO h VALUES ('', '%s', '%s', '%064d', strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ','now'), 1, 'applied', 'bench', 0, NULL);\nCOMMIT;\n" \
    "$body" "$v" "$t" "$i" >>"$work/per_file_tx_history.sql"
done
reset_pg="dropdb -h 127.0.0.1 -p $PGPORT -U postgres --if-exists b && createdb -h 127.0.0.1 -p $PGPORT -U postgres b"
reset_sq="rm -f $work/b.sqlite3"
spec=$work/spec
out=$RESULTS/migrate-formats.md
mkdir -p "$RESULTS"
{
  echo "# migrate apply: $n files in four tools' layouts, next to the databases' shells and dbmate"
  echo
  machine
  echo "- PostgreSQL $(psql --version | awk '{print $3}') on loopback (fsync off, as the test fixture runs it); SQLite $(sqlite3 --version | awk '{print $1}'); dbmate $(dbmate --version | awk '{print $NF}')"
  echo "- each migration: CREATE TABLE + CREATE INDEX + a 3-row INSERT; the folder: dbmate sections, golang-migrate .up.sql (BEGIN/COMMIT wrapped) with .down.sql, goose annotations, popx .postgres/.sqlite3/.mysql files, 20-digit versions ($(find "$mixed" -type f | wc -l) files); dbmate reads the same statements in its own layout"
  echo
  printf '%s\t%s\t%s\n' \
    "psql, one transaction per file (floor)" "$reset_pg" "$(command -v psql) -X -q -h 127.0.0.1 -p $PGPORT -U postgres -d b -f $work/per_file_tx.sql" \
    "migrate apply (mixed layouts)" "$reset_pg" "$MIGRATE apply --log-level warning --dir $mixed --database $pg/b?sslmode=disable" \
    "dbmate up (its own layout)" "$reset_pg" "$(command -v dbmate) --no-dump-schema --migrations-dir $dbm --url $pg/b?sslmode=disable up" \
    >"$spec"
  "$RUNNER" --runs "$runs" --warmup 1 --title "PostgreSQL: apply $n migrations to an empty database" "$spec"
  printf '%s\t%s\t%s\n' \
    "sqlite3, one transaction per file (floor)" "$reset_sq" "/bin/sh -c sqlite3\${IFS}$work/b.sqlite3<$work/per_file_tx.sql" \
    "sqlite3, the same plus a history row per file (reference)" "$reset_sq" "/bin/sh -c sqlite3\${IFS}$work/b.sqlite3<$work/per_file_tx_history.sql" \
    "migrate apply (mixed layouts)" "$reset_sq" "$MIGRATE apply --log-level warning --dir $mixed --database sqlite:$work/b.sqlite3" \
    "dbmate up (its own layout)" "$reset_sq" "$(command -v dbmate) --no-dump-schema --migrations-dir $dbm --url sqlite:$work/b.sqlite3 up" \
    >"$spec"
  "$RUNNER" --runs "$runs" --warmup 1 --title "SQLite: apply $n migrations to an empty file" "$spec"
  # The cost of reading the layouts: a no-op apply of the mixed folder next to a no-op apply of
  # the same statements as plain files, each over the history it wrote itself.
  createdb -h 127.0.0.1 -p "$PGPORT" -U postgres noop_plain
  createdb -h 127.0.0.1 -p "$PGPORT" -U postgres noop_mixed
  "$MIGRATE" apply --log-level warning --dir "$plain" --database "$pg/noop_plain?sslmode=disable"
  "$MIGRATE" apply --log-level warning --dir "$mixed" --database "$pg/noop_mixed?sslmode=disable"
  "$MIGRATE" apply --log-level warning --dir "$plain" --database "sqlite:$work/noop_plain.sqlite3"
  "$MIGRATE" apply --log-level warning --dir "$mixed" --database "sqlite:$work/noop_mixed.sqlite3"
  printf '%s\t\t%s\n' \
    "migrate apply (nothing to do), plain files (baseline)" "$MIGRATE apply --log-level warning --dir $plain --database $pg/noop_plain?sslmode=disable" \
    "migrate apply (nothing to do), mixed layouts" "$MIGRATE apply --log-level warning --dir $mixed --database $pg/noop_mixed?sslmode=disable" \
    >"$spec"
  "$RUNNER" --runs 100 --warmup 2 --title "PostgreSQL: a no-op apply, mixed layouts next to plain files" "$spec"
  printf '%s\t\t%s\n' \
    "migrate apply (nothing to do), plain files (baseline)" "$MIGRATE apply --log-level warning --dir $plain --database sqlite:$work/noop_plain.sqlite3" \
    "migrate apply (nothing to do), mixed layouts" "$MIGRATE apply --log-level warning --dir $mixed --database sqlite:$work/noop_mixed.sqlite3" \
    >"$spec"
  "$RUNNER" --runs 100 --warmup 2 --title "SQLite: a no-op apply, mixed layouts next to plain files" "$spec"
  # Wall time of a ~25 ms run moves with the machine; the instructions it executes do not.
  if command -v valgrind >/dev/null; then
    count() {
      valgrind --tool=callgrind --callgrind-out-file=/dev/null "$MIGRATE" apply --log-level warning \
        --dir "$1" --database "sqlite:$2" 2>&1 | awk '/Collected/ {print $NF}'
    }
    p=$(count "$plain" "$work/noop_plain.sqlite3") m=$(count "$mixed" "$work/noop_mixed.sqlite3")
    echo "SQLite no-op apply, instructions executed (callgrind, deterministic): plain files $p, mixed"
    echo "layouts $m: $(awk -v p="$p" -v m="$m" 'BEGIN {printf "%.3f", m / p}')x."
    echo
  fi
  echo "Targets (issue 13): within 1.1x of the database shell per file; reading the layouts adds under"
  echo "5% to a no-op run."
} >"$out"
cat "$out"
