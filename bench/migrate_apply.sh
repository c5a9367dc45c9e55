#!/usr/bin/env bash
# migrate apply side by side with dbmate (npm) and the databases' own shells, on a corpus of 500
# migrations (CREATE TABLE + CREATE INDEX + a 3-row INSERT each), PostgreSQL 15 and SQLite, in
# one run. Writes bench/results/migrate-apply.md. Needs root (it starts a throwaway PostgreSQL).
. "$(dirname "$0")/lib.sh"
need dbmate psql sqlite3 createdb dropdb
runs=${RUNS:-5}
n=${MIGRATIONS:-500}
with_postgres migrate

mkdir -p "$work/migrations"
: >"$work/per_file_tx.sql"
: >"$work/one_tx.sql"
for i in $(seq -w 1 "$n"); do
  body="CREATE TABLE t$i (id integer PRIMARY KEY, v text);
CREATE INDEX t${i}_v ON t$i (v);
INSERT INTO t$i VALUES (1, 'a'), (2, 'b'), (3, 'c');"
  printf -- '-- migrate:up\n%s\n\n-- migrate:down\nDROP TABLE t%s;\n' "$body" "$i" >"$work/migrations/0${i}_t$i.sql"
  printf 'BEGIN;\n%s\nCOMMIT;\n' "$body" >>"$work/per_file_tx.sql"
  printf '%s\n' "$body" >>"$work/one_tx.sql"
done
printf 'BEGIN;\n%s\nCOMMIT;\n' "$(cat "$work/one_tx.sql")" >"$work/one_tx_wrapped.sql"
(cd "$work/migrations" && sha256sum -- *.sql >reviewed.sum)
m=$work/migrations
reset_pg="dropdb -h 127.0.0.1 -p $PGPORT -U postgres --if-exists b && createdb -h 127.0.0.1 -p $PGPORT -U postgres b"
reset_sq="rm -f $work/b.sqlite3"
dbmate_flags="--no-dump-schema --migrations-dir $m"
spec=$work/spec
printf '%s\t%s\t%s\n' \
  "psql, one transaction per file (floor)" "$reset_pg" "$(command -v psql) -X -q -h 127.0.0.1 -p $PGPORT -U postgres -d b -f $work/per_file_tx.sql" \
  "migrate apply" "$reset_pg" "$MIGRATE apply --log-level warning --dir $m --database $pg/b?sslmode=disable" \
  "dbmate up" "$reset_pg" "$(command -v dbmate) $dbmate_flags --url $pg/b?sslmode=disable up" \
  "psql -1, one transaction (floor)" "$reset_pg" "$(command -v psql) -X -q -1 -h 127.0.0.1 -p $PGPORT -U postgres -d b -f $work/one_tx.sql" \
  "migrate apply --single-transaction" "$reset_pg" "$MIGRATE apply --single-transaction --log-level warning --dir $m --database $pg/b?sslmode=disable" \
  >"$spec"
out=$RESULTS/migrate-apply.md
mkdir -p "$RESULTS"
{
  echo "# migrate apply: $n migrations, next to dbmate and the databases' own shells"
  echo
  machine
  echo "- PostgreSQL $(psql --version | awk '{print $3}') on loopback (fsync off, as the test fixture runs it); SQLite $(sqlite3 --version | awk '{print $1}'); dbmate $(dbmate --version | awk '{print $NF}')"
  echo "- each migration: CREATE TABLE + CREATE INDEX + a 3-row INSERT; the database is recreated before every timed run"
  echo
  "$RUNNER" --runs "$runs" --warmup 1 --title "PostgreSQL: apply $n migrations to an empty database" "$spec"
  createdb -h 127.0.0.1 -p "$PGPORT" -U postgres noop
  "$MIGRATE" apply --log-level warning --dir "$m" --database "$pg/noop?sslmode=disable"
  createdb -h 127.0.0.1 -p "$PGPORT" -U postgres noopd
  dbmate $dbmate_flags --url "$pg/noopd?sslmode=disable" up >/dev/null
  printf '%s\t\t%s\n' \
    "migrate apply (nothing to do)" "$MIGRATE apply --log-level warning --dir $m --database $pg/noop?sslmode=disable" \
    "dbmate up (nothing to do)" "$(command -v dbmate) $dbmate_flags --url $pg/noopd?sslmode=disable up" >"$spec"
  "$RUNNER" --runs $((runs * 4)) --warmup 1 --title "PostgreSQL: apply with all $n already applied" "$spec"
  printf '%s\t%s\t%s\n' \
    "sqlite3, one transaction per file (floor)" "$reset_sq" "/bin/sh -c sqlite3\${IFS}$work/b.sqlite3<$work/per_file_tx.sql" \
    "migrate apply" "$reset_sq" "$MIGRATE apply --log-level warning --dir $m --database sqlite:$work/b.sqlite3" \
    "dbmate up" "$reset_sq" "$(command -v dbmate) $dbmate_flags --url sqlite:$work/b.sqlite3 up" \
    "sqlite3, one transaction (floor)" "$reset_sq" "/bin/sh -c sqlite3\${IFS}$work/b.sqlite3<$work/one_tx_wrapped.sql" \
    "migrate apply --single-transaction" "$reset_sq" "$MIGRATE apply --single-transaction --log-level warning --dir $m --database sqlite:$work/b.sqlite3" \
    >"$spec"
  "$RUNNER" --runs "$runs" --warmup 1 --title "SQLite: apply $n migrations to an empty file" "$spec"
  "$MIGRATE" apply --log-level warning --dir "$m" --database "sqlite:$work/noop.sqlite3"
  dbmate $dbmate_flags --url "sqlite:$work/noopd.sqlite3" up >/dev/null
  printf '%s\t\t%s\n' \
    "migrate apply (nothing to do)" "$MIGRATE apply --log-level warning --dir $m --database sqlite:$work/noop.sqlite3" \
    "dbmate up (nothing to do)" "$(command -v dbmate) $dbmate_flags --url sqlite:$work/noopd.sqlite3 up" >"$spec"
  "$RUNNER" --runs $((runs * 4)) --warmup 1 --title "SQLite: apply with all $n already applied" "$spec"
  echo "Targets (issue 6): PostgreSQL within 1.1x of psql per file and of psql -1 with --single-transaction;"
  echo "SQLite within 1.1x of the sqlite3 shell per file and 10x faster than dbmate with"
  echo "--single-transaction; a no-op apply at most 1/5 of dbmate's wall time; peak RSS at most 1/4 of"
  echo "dbmate's; never slower than dbmate."
} >"$out"
cat "$out"
