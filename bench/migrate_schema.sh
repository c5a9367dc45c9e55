#!/usr/bin/env bash
# migrate's schema dump of a 500-table database (each table: 4 columns with defaults, a primary
# key, a CHECK, an index) next to pg_dump --schema-only and sqlite3 .schema, on PostgreSQL 15
# and SQLite; and what apply's lock safety costs an uncontended run: 500 files applied with
# the default SET LOCAL lock_timeout next to --pg-lock-timeout 0. Writes
# bench/results/migrate-schema.md. Needs root (the PostgreSQL fixture).
. "$(dirname "$0")/lib.sh"
need psql pg_dump sqlite3 createdb dropdb
runs=${RUNS:-10}
tables=${TABLES:-500}
with_postgres schema
export PGHOST=127.0.0.1 PGPORT PGUSER=postgres

dropdb --if-exists big >/dev/null 2>&1 || true
createdb big
for i in $(seq 1 "$tables"); do
  echo "CREATE TABLE t$i (id bigint PRIMARY KEY, a text NOT NULL DEFAULT '', b int CHECK (b > 0), c timestamptz DEFAULT now());"
  echo "CREATE INDEX t${i}_a ON t$i (a);"
done | psql -X -q -d big
for i in $(seq 1 "$tables"); do
  echo "CREATE TABLE t$i (id INTEGER PRIMARY KEY, a TEXT NOT NULL DEFAULT '', b INT CHECK (b > 0), c TEXT DEFAULT CURRENT_TIMESTAMP);"
  echo "CREATE INDEX t${i}_a ON t$i (a);"
done | sqlite3 "$work/big.sqlite3"

# 500 files for the lock-timeout comparison: one ALTER on a live table each.
n=500
mkdir -p "$work/m"
echo "CREATE TABLE live (id bigint PRIMARY KEY);" >"$work/m/00000_live.sql"
for i in $(seq 1 "$n"); do
  printf 'ALTER TABLE live ADD COLUMN c%s text;\n' "$i" >"$work/m/$(printf '%05d' "$i")_c$i.sql"
done
reset_pg="dropdb -h 127.0.0.1 -p $PGPORT -U postgres --if-exists b && createdb -h 127.0.0.1 -p $PGPORT -U postgres b"

out=$RESULTS/migrate-schema.md
spec=$work/spec
mkdir -p "$RESULTS"
{
  echo "# migrate schema: a $tables-table database, and the cost of lock safety"
  echo
  machine
  echo "- PostgreSQL $(psql --version | awk '{print $3}') on loopback; SQLite $(sqlite3 --version | awk '{print $1}')"
  echo "- each table: 4 columns (two with defaults), a primary key, a CHECK, an index"
  echo
  printf '%s\t\t%s\n' \
    "migrate schema (PostgreSQL)" "$MIGRATE schema --log-level error -d $pg/big?sslmode=disable" \
    "pg_dump --schema-only" "$(command -v pg_dump) --schema-only -h 127.0.0.1 -p $PGPORT -U postgres big" \
    >"$spec"
  "$RUNNER" --runs "$runs" --warmup 1 --title "PostgreSQL: the schema of $tables tables" "$spec"
  printf '%s\t\t%s\n' \
    "migrate schema (SQLite)" "$MIGRATE schema --log-level error -d sqlite:$work/big.sqlite3" \
    "sqlite3 .schema" "$(command -v sqlite3) $work/big.sqlite3 .schema" \
    >"$spec"
  "$RUNNER" --runs "$runs" --warmup 1 --title "SQLite: the schema of $tables tables" "$spec"
  printf '%s\t%s\t%s\n' \
    "apply, --pg-lock-timeout 0 (no SET LOCAL)" "$reset_pg" "$MIGRATE apply --log-level warning --dir $work/m --pg-lock-timeout 0 --database $pg/b?sslmode=disable" \
    "apply, default (SET LOCAL lock_timeout 5s per file)" "$reset_pg" "$MIGRATE apply --log-level warning --dir $work/m --database $pg/b?sslmode=disable" \
    >"$spec"
  "$RUNNER" --runs "$runs" --warmup 1 --title "PostgreSQL: apply $n files to an uncontended table" "$spec"
} >"$out.tmp"
mv "$out.tmp" "$out"
cat "$out"
