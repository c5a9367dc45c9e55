#!/usr/bin/env bash
# fixture_postgres.sh start|stop: a throwaway PostgreSQL 15 for the it.pg_* tests, on a free
# loopback port, run by the postgres user (CI runs as root, which PostgreSQL refuses).
# `start` writes $BALLAST_IT_STATE/postgres.env; `stop` always stops it and removes the data.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
dir=$BALLAST_IT_STATE/postgres
envfile=$BALLAST_IT_STATE/postgres.env

stop() {
  if [ -f "$dir/data/postmaster.pid" ]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir" "$envfile"
}

case "${1:-}" in
  start)
    [ -x "$PG_BIN/initdb" ] || skip "PostgreSQL 15 server not installed ($PG_BIN/initdb); run scripts/bootstrap"
    [ "$(id -u)" = 0 ] || skip "the PostgreSQL fixture runs initdb as the postgres user and needs root"
    id postgres >/dev/null 2>&1 || skip "no postgres user; run scripts/bootstrap"
    stop  # a server left behind by an interrupted run
    mkdir -p "$dir"
    chown postgres:postgres "$dir"
    runuser -u postgres -- "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 \
      --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log"; fail "initdb failed"; }
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      port=$(( 20000 + RANDOM % 30000 ))
      if runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
           -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=off -c max_connections=100" \
           start >/dev/null 2>&1; then
        printf 'PGHOST=127.0.0.1\nPGPORT=%s\nPGUSER=postgres\n' "$port" >"$envfile"
        echo "PostgreSQL 15 running on 127.0.0.1:$port"
        exit 0
      fi
      grep -q "could not bind\|Address already in use" "$dir/server.log" 2>/dev/null || { cat "$dir/server.log"; fail "pg_ctl start failed"; }
    done
    fail "no free port found for PostgreSQL after 10 tries"
    ;;
  stop) stop; echo "PostgreSQL stopped" ;;
  *) echo "usage: $0 start|stop" >&2; exit 64 ;;
esac
