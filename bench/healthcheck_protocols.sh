#!/usr/bin/env bash
# One readiness probe per protocol, each next to the tool people use for it today, in one run:
# HTTPS (TLS 1.3) vs curl, postgres:// vs pg_isready, redis:// vs redis-cli ping, grpc:// vs a
# grpc_health_probe-style client (python3-grpcio; grpc_health_probe itself is in neither
# Debian nor npm) and the floor of one exec. Real servers on loopback: openssl s_server,
# PostgreSQL 15, redis-server, a python3-grpcio health server. Median wall time, peak RSS and
# minor faults over interleaved runs. Writes bench/results/healthcheck-protocols.md.
. "$(dirname "$0")/lib.sh"
need curl openssl redis-server redis-cli
[ "$(id -u)" = 0 ] || { echo "bench: fatal: run as root (PostgreSQL runs as the postgres user)" >&2; exit 1; }
runs=${RUNS:-200}
pg_bin=/usr/lib/postgresql/15/bin
work=$(mktemp -d)
chmod 755 "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -d "$work/pg" ] && runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg" -m immediate -w stop >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
port() { echo $(( 20000 + RANDOM % 30000 )); }
wait_up() { for _ in $(seq 200); do "$@" >/dev/null 2>&1 && return 0; sleep 0.05; done; echo "bench: fatal: not up: $*" >&2; exit 1; }

# HTTPS: TLS 1.3 only, an ECDSA P-256 certificate.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/key.pem" \
  -out "$work/cert.pem" -days 5 -subj /CN=localhost -addext "subjectAltName=DNS:localhost" 2>/dev/null
https_port=$(port)
openssl s_server -accept "127.0.0.1:$https_port" -cert "$work/cert.pem" -key "$work/key.pem" \
  -www -quiet -tls1_3 >/dev/null 2>&1 &
pids+=($!)
wait_up "$HEALTHCHECK" --cacert "$work/cert.pem" "https://localhost:$https_port/"

# PostgreSQL 15, trust authentication.
mkdir -p "$work/pg" && chown postgres "$work/pg" && chmod 700 "$work/pg"
runuser -u postgres -- "$pg_bin/initdb" -D "$work/pg" -U postgres --auth=trust >/dev/null
pg_port=$(port)
runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories=$work/pg -c fsync=off" start >/dev/null

redis_port=$(port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --logfile "$work/redis.log" &
pids+=($!)
wait_up redis-cli -p "$redis_port" ping

grpc_port=$(port)
printf '{"": "SERVING"}' >"$work/grpc.json"
/usr/bin/python3 "$ROOT/tests/integration/grpc_health_server.py" "$grpc_port" "$work/grpc.json" >/dev/null 2>&1 &
pids+=($!)
wait_up "$HEALTHCHECK" "grpc://127.0.0.1:$grpc_port"

table() {  # TITLE, then NAME COMMAND pairs
  local title=$1 spec=$work/spec
  shift
  : >"$spec"
  while [ $# -gt 0 ]; do printf '%s\t\t%s\n' "$1" "$2" >>"$spec"; shift 2; done
  "$RUNNER" --runs "$runs" --title "$title" "$spec"
  echo
}

out=$RESULTS/healthcheck-protocols.md
mkdir -p "$RESULTS"
{
  echo "# healthcheck: one probe per protocol, next to each protocol's own tool"
  echo
  machine
  echo "- servers on 127.0.0.1: openssl s_server -tls1_3 (ECDSA P-256), PostgreSQL 15 (trust),"
  echo "  redis-server $(redis-server --version | awk '{print $3}'), a python3-grpcio health server"
  echo
  table "HTTPS, TLS 1.3" \
    "curl -fsS --cacert" "$(command -v curl) -fsS --cacert $work/cert.pem -o /dev/null https://localhost:$https_port/" \
    "healthcheck" "$HEALTHCHECK --cacert $work/cert.pem https://localhost:$https_port/"
  table "PostgreSQL readiness" \
    "pg_isready" "$pg_bin/pg_isready -q -h 127.0.0.1 -p $pg_port -U postgres" \
    "healthcheck postgres://" "$HEALTHCHECK postgres://postgres@127.0.0.1:$pg_port/postgres"
  table "Redis readiness" \
    "redis-cli ping" "$(command -v redis-cli) -h 127.0.0.1 -p $redis_port ping" \
    "healthcheck redis://" "$HEALTHCHECK redis://127.0.0.1:$redis_port"
  table "gRPC health" \
    "floor: bare /bin/true" "/usr/bin/true" \
    "python3-grpcio client" "/usr/bin/python3 $BENCH_DIR/grpc_health_client.py 127.0.0.1:$grpc_port" \
    "healthcheck grpc://" "$HEALTHCHECK grpc://127.0.0.1:$grpc_port"
  echo "Targets (issue 14): at or below each anchor's median wall time and peak RSS. With trust"
  echo "authentication pg_isready and healthcheck both complete the startup (the server forks a"
  echo "backend for each: most of either's time); redis-cli ping exits 0 whatever the server"
  echo "answers, healthcheck only on PONG."
} >"$out"
cat "$out"
