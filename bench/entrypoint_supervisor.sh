#!/usr/bin/env bash
# entrypoint as a supervisor next to tini-static and dumb-init: the resident memory of the
# supervisor process while it supervises `sleep`, and the start overhead of supervising
# /bin/true (fork + exec + reap). Writes bench/results/entrypoint-supervisor.md.
. "$(dirname "$0")/lib.sh"
need tini-static dumb-init
runs=${RUNS:-300}
rss_of() {  # rss_of CMD...: VmRSS (KiB) of the supervisor while it supervises sleep, median of 15
  local samples=()
  for _ in $(seq 15); do
    "$@" /bin/sleep 30 &
    local pid=$!
    for _ in $(seq 100); do pgrep -P "$pid" sleep >/dev/null && break; sleep 0.01; done
    sleep 0.05
    samples+=("$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")")
    kill -TERM "$pid"; wait "$pid" 2>/dev/null
  done
  printf '%s\n' "${samples[@]}" | sort -n | sed -n 8p
}
out=$RESULTS/entrypoint-supervisor.md
mkdir -p "$RESULTS"
spec=$(mktemp)
trap 'rm -f "$spec"' EXIT
printf '%s\t\t%s\n' \
  "bare /bin/true" "/usr/bin/true" \
  "tini-static" "$(command -v tini-static) -s -- /usr/bin/true" \
  "dumb-init" "$(command -v dumb-init) /usr/bin/true" \
  "entrypoint --init" "$ENTRYPOINT --init -- /usr/bin/true" >"$spec"
{
  echo "# entrypoint as a supervisor, next to tini-static and dumb-init"
  echo
  machine
  echo
  echo "### Resident memory of the supervisor process while it supervises sleep"
  echo
  echo "Median VmRSS of 15 starts, read from /proc after the child runs."
  echo
  echo "| supervisor | VmRSS |"
  echo "| --- | ---: |"
  echo "| tini-static (-s) | $(rss_of "$(command -v tini-static)" -s --) KiB |"
  echo "| dumb-init | $(rss_of "$(command -v dumb-init)") KiB |"
  echo "| entrypoint --init | $(rss_of "$ENTRYPOINT" --init --) KiB |"
  echo
  "$RUNNER" --runs "$runs" --title "start, supervise and reap /bin/true" "$spec"
  echo
  echo "Target (issue 4): the supervisor's resident memory does not exceed tini-static's."
} >"$out"
cat "$out"
