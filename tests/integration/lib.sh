# Helpers shared by the it.* scripts. Sourced by run_case.sh and the fixtures; not run alone.
# Environment: BALLAST_BIN_DIR (the three binaries), BALLAST_IT_STATE (fixture state).

: "${BALLAST_BIN_DIR:?set BALLAST_BIN_DIR to the folder holding entrypoint, healthcheck, migrate}"
: "${BALLAST_IT_STATE:?set BALLAST_IT_STATE to a folder for fixture state}"
ENTRYPOINT=$BALLAST_BIN_DIR/entrypoint
HEALTHCHECK=$BALLAST_BIN_DIR/healthcheck
MIGRATE=$BALLAST_BIN_DIR/migrate

# skip MESSAGE: ends the test as skipped (CTest SKIP_RETURN_CODE 125), saying what is missing.
skip() { echo "SKIP: $*"; exit 125; }

# fail MESSAGE: ends the test as failed.
fail() { echo "FAIL: $*" >&2; exit 1; }

# run_capture CMD...: runs CMD, leaving its exit code in $rc and its output in $out.
run_capture() {
  out=$("$@" 2>&1)
  rc=$?
}

# expect_rc WANT: fails unless the last run_capture exited with WANT.
expect_rc() {
  [ "$rc" = "$1" ] || fail "expected exit $1, got $rc; output:
$out"
}

# expect_out TEXT: fails unless the last run_capture's output contains TEXT.
expect_out() {
  case "$out" in *"$1"*) ;; *) fail "output lacks '$1'; output:
$out" ;; esac
}

# expect_no_out TEXT: fails if the last run_capture's output contains TEXT.
expect_no_out() {
  case "$out" in *"$1"*) fail "output unexpectedly contains '$1'; output:
$out" ;; esac
}

# size_budget BINARY: BINARY's size budget in bytes, as cmake/BallastSizes.cmake sets it.
size_budget() {
  sed -n "s/^set(_budget_$1 \([0-9]*\)).*/\1/p" "$(dirname "${BASH_SOURCE[0]}")/../../cmake/BallastSizes.cmake"
}

# expect_eq WANT GOT WHAT
expect_eq() { [ "$1" = "$2" ] || fail "$3: expected '$1', got '$2'"; }

# wait_until SECONDS CMD...: runs CMD until it succeeds; fails the test after SECONDS. For
# waiting on a condition (a file, a port, a state) instead of sleeping a fixed time.
wait_until() {
  local limit=$1
  shift
  local end=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$end" ] || fail "not true after ${limit}s: $*"
    sleep 0.05
  done
}

# --- HTTP test servers --------------------------------------------------------------------
# free_port: prints a loopback port nobody listens on (best effort).
free_port() {
  local p
  for _ in $(seq 50); do
    p=$(( 20000 + RANDOM % 30000 ))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
  fail "no free port"
}

# wait_port PORT: waits up to 30 s for something to listen on 127.0.0.1:PORT.
wait_port() {
  local end=$((SECONDS + 30))
  until (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do
    [ "$SECONDS" -lt "$end" ] || fail "nothing listens on port $1"
    sleep 0.02
  done
}

# start_server PORT_VAR CMD...: runs CMD in the background on a free loopback port (every
# "{port}" in CMD's words becomes the port) until it listens there, and sets PORT_VAR to the
# port. Another test may take the port between free_port and the bind, and a busy machine may
# start a server slowly: so this waits on the condition (up to 30 s), and a server that exits
# first is tried again on a new port. CMD's output goes to $WORK/server-PORT.log (a forked
# child must not hold CTest's pipe open), which is shown when every try fails.
start_server() {
  # Locals are prefixed: printf -v must reach the caller's PORT_VAR, not a local of that name.
  local _ss_var=$1 _ss_port _ss_pid _ss_end
  shift
  for _ in 1 2 3 4 5; do
    _ss_port=$(free_port)
    "${@//\{port\}/$_ss_port}" >"$WORK/server-$_ss_port.log" 2>&1 &
    _ss_pid=$!
    on_exit "kill $_ss_pid 2>/dev/null; pkill -P $_ss_pid 2>/dev/null || true"
    _ss_end=$((SECONDS + 30))
    until (exec 3<>"/dev/tcp/127.0.0.1/$_ss_port") 2>/dev/null; do
      kill -0 "$_ss_pid" 2>/dev/null || break
      [ "$SECONDS" -lt "$_ss_end" ] || break
      sleep 0.02
    done
    if kill -0 "$_ss_pid" 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$_ss_port") 2>/dev/null; then
      printf -v "$_ss_var" '%s' "$_ss_port"
      return 0
    fi
    kill "$_ss_pid" 2>/dev/null || true
  done
  fail "could not start $1 on a free port: $(tail -3 "$WORK/server-$_ss_port.log")"
}

# start_app: busybox httpd on 127.0.0.1 only, serving a health JSON, CGI status codes, a
# redirect and a 200 KiB body; sets $port.
start_app() {
  mkdir -p www/api www/cgi-bin
  printf '{"status":"healthy","checks":{"db":{"ok":true,"ms":3}}}' >www/api/health
  head -c 204800 /dev/zero | tr '\0' 'x' >www/big
  printf '#!/bin/sh\nprintf "Status: %%s\\r\\nContent-Type: text/plain\\r\\n\\r\\nstatus %%s\\n" "$QUERY_STRING" "$QUERY_STRING"\n' >www/cgi-bin/status
  printf '#!/bin/sh\nprintf "Status: 302 Found\\r\\nLocation: http://127.0.0.1:1/elsewhere\\r\\n\\r\\n"\n' >www/cgi-bin/redirect
  chmod +x www/cgi-bin/*
  start_server port busybox httpd -f -p "127.0.0.1:{port}" -h "$WORK/www"
}

# --- PostgreSQL ---------------------------------------------------------------------------
PG_BIN=/usr/lib/postgresql/15/bin

# pg_env: loads the running fixture's connection facts (PGHOST, PGPORT, PGUSER).
pg_env() {
  [ -f "$BALLAST_IT_STATE/postgres.env" ] || fail "PostgreSQL fixture is not running (no $BALLAST_IT_STATE/postgres.env)"
  # shellcheck disable=SC1091
  . "$BALLAST_IT_STATE/postgres.env"
  export PGHOST PGPORT PGUSER
}

# pg_new_database: creates an empty database for this test and prints its URL.
pg_new_database() {
  pg_env
  local name="t_$$_${RANDOM}"
  psql -q -d postgres -c "CREATE DATABASE $name" >/dev/null || fail "could not create database $name"
  echo "postgres://$PGUSER@127.0.0.1:$PGPORT/$name?sslmode=disable"
}

# pg_query URL SQL: prints the unaligned, tuples-only result.
pg_query() { psql -X -q -A -t -d "$1" -c "$2"; }

# private_pg_start [SETTING=VALUE...]: initdb (once) and start a server of the test's own in
# $WORK/pg on a free port (the shared fixture must stay up for the other tests), with extra
# server settings; sets $pg_port, $pg_dir and $pg_url. $PG_INITDB_ARGS adds initdb options.
private_pg_start() {
  [ "$(id -u)" = 0 ] || skip "needs root to run a private PostgreSQL as the postgres user"
  [ -x "$PG_BIN/initdb" ] || skip "PostgreSQL 15 server not installed"
  pg_dir=$WORK/pg
  if [ ! -d "$pg_dir/data" ]; then
    mkdir -p "$pg_dir" && chown postgres:postgres "$pg_dir"
    # shellcheck disable=SC2086
    runuser -u postgres -- "$PG_BIN/initdb" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 \
      --locale=C.UTF-8 ${PG_INITDB_ARGS:-} >"$pg_dir/initdb.log" 2>&1 ||
      fail "initdb failed: $(cat "$pg_dir/initdb.log")"
    on_exit "runuser -u postgres -- $PG_BIN/pg_ctl -D $pg_dir/data -m immediate -w stop"
  fi
  local settings="-c listen_addresses=127.0.0.1 -c unix_socket_directories=$pg_dir -c fsync=off" s
  for s in "$@"; do settings="$settings -c $s"; done
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    pg_port=${pg_port:-$(free_port)}
    if runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
         -o "$settings -c port=$pg_port" start >/dev/null 2>&1; then
      pg_url="postgres://postgres@127.0.0.1:$pg_port/postgres?sslmode=disable"
      return 0
    fi
    pg_port=""
  done
  fail "could not start a private PostgreSQL: $(tail -5 "$pg_dir/server.log")"
}

# --- podman -------------------------------------------------------------------------------
# The settings that work on this machine (no Docker engine; no raising of limits).
PODMAN_ROOT=/var/lib/ballast-test/storage
PODMAN_RUNROOT=/run/ballast-test
IMAGE=localhost/ballast-it:latest
# The it.e2e_* images: docker/example/Dockerfile built on stand-ins for its two bases.
BALLAST_IMAGE=localhost/ballast:test
BASE_IMAGE=localhost/busybox-standin:test
EXAMPLE_IMAGE=localhost/ballast-example:test
bpodman() {
  podman --runtime runc --storage-driver vfs --cgroup-manager cgroupfs \
    --root "$PODMAN_ROOT" --runroot "$PODMAN_RUNROOT" "$@"
}
# podman_run ARGS...: `podman run` with the limits this machine allows.
podman_run() {
  bpodman run --ulimit nofile=1024:1024 --ulimit nproc=4096:4096 "$@"
}
# podman_usable: exit status 0 when podman can run containers here.
podman_usable() {
  command -v podman >/dev/null 2>&1 && command -v runc >/dev/null 2>&1 && [ "$(id -u)" = 0 ]
}

# image_fixture_start MARKER: what an image fixture does first: forgets the last build's
# MARKER file in $BALLAST_IT_STATE and skips, saying why, where no image can be built.
image_fixture_start() {
  rm -f "$BALLAST_IT_STATE/$1"
  mkdir -p "$BALLAST_IT_STATE"
  podman_usable || skip "podman/runc missing or not root: run scripts/bootstrap as root"
  [ -x /bin/busybox ] || skip "busybox-static missing: run scripts/bootstrap"
  local b
  for b in "$ENTRYPOINT" "$HEALTHCHECK" "$MIGRATE"; do
    file "$b" | grep -q 'statically linked' || skip "$b is not statically linked (use the ci or release preset)"
  done
}
