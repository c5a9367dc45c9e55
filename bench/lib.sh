# Helpers for the benchmark scripts. Sourced, not run.
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
RESULTS=$BENCH_DIR/results

# Binaries: a static, stripped build with the benchmark helpers (the ci preset builds them;
# the release preset only does when configured with -DBALLAST_TESTS=ON).
for preset in release ci; do
  if [ -x "$ROOT/build/$preset/entrypoint/entrypoint" ] && [ -x "$ROOT/build/$preset/bench/bench_runner" ]; then
    BUILD=$ROOT/build/$preset
    break
  fi
done
: "${BUILD:?build first: cmake --preset ci && cmake --build --preset ci}"
RUNNER=$ROOT/build/ci/bench/bench_runner
[ -x "$RUNNER" ] || RUNNER=$BUILD/bench/bench_runner
[ -x "$RUNNER" ] || { echo "bench: fatal: bench_runner not built (cmake --build --preset ci)" >&2; exit 1; }
ENTRYPOINT=$BUILD/entrypoint/entrypoint
HEALTHCHECK=$BUILD/healthcheck/healthcheck
MIGRATE=$BUILD/migrate/migrate

# need CMD...: fails naming the anchors that are missing (scripts/bootstrap --bench installs them).
need() {
  for c in "$@"; do command -v "$c" >/dev/null || { echo "bench: fatal: $c missing: run scripts/bootstrap --bench" >&2; exit 1; }; done
}

# machine: a markdown paragraph describing this machine and build, for every results file.
machine() {
  printf -- '- date: %s\n' "$(date -u +%Y-%m-%dT%H:%MZ)"
  printf -- '- machine: %s, %s cores, %s RAM, kernel %s\n' \
    "$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)" "$(nproc)" \
    "$(free -h | awk '/Mem:/ {print $2}')" "$(uname -r)"
  printf -- '- load average at start: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
  printf -- '- Ballast: %s (%s build), commit %s\n' "$("$ENTRYPOINT" --version | awk 'NR == 1 {print $3}')" \
    "$(basename "$BUILD")" "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
}

# with_postgres NAME: a work folder /tmp/ballast-bench-NAME.* in $work and the tests' PostgreSQL
# fixture started for this run (stopped, and the folder removed, on exit); sets $pg to the
# server's URL without a database and exports the fixture's PGPORT.
with_postgres() {
  work=$(mktemp -d "/tmp/ballast-bench-$1.XXXXXX")
  chmod 755 "$work"  # the postgres user must reach the fixture's data folder
  export BALLAST_IT_STATE=$work/state BALLAST_BIN_DIR
  BALLAST_BIN_DIR=$(dirname "$MIGRATE")
  "$ROOT/tests/integration/fixture_postgres.sh" start >/dev/null
  trap '"$ROOT/tests/integration/fixture_postgres.sh" stop >/dev/null; rm -rf "$work"' EXIT
  # shellcheck disable=SC1091
  . "$BALLAST_IT_STATE/postgres.env"
  export PGPORT
  pg="postgres://postgres@127.0.0.1:$PGPORT"
}
