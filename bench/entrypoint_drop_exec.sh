#!/usr/bin/env bash
# The cost of the hop: /bin/true alone, then through setpriv, gosu and entrypoint, each
# dropping root to nobody. Median wall time and minor page faults over >= 300 interleaved runs.
# Run as root. Writes bench/results/entrypoint-drop-exec.md.
. "$(dirname "$0")/lib.sh"
need setpriv gosu
[ "$(id -u)" = 0 ] || { echo "bench: fatal: run as root (the commands drop root)" >&2; exit 1; }
runs=${RUNS:-500}
spec=$(mktemp)
trap 'rm -f "$spec"' EXIT
true_bin=/usr/bin/true
printf '%s\t\t%s\n' \
  "bare /bin/true" "$true_bin" \
  "setpriv" "$(command -v setpriv) --reuid=65534 --regid=65534 --clear-groups $true_bin" \
  "gosu" "$(command -v gosu) nobody $true_bin" \
  "entrypoint" "$ENTRYPOINT --user nobody -- $true_bin" >"$spec"
out=$RESULTS/entrypoint-drop-exec.md
mkdir -p "$RESULTS"
{
  echo "# entrypoint: drop root and exec, next to setpriv and gosu"
  echo
  machine
  echo
  "$RUNNER" --runs "$runs" --title "root -> nobody, then /bin/true" "$spec"
  echo
  echo "Targets (issue 3): entrypoint adds at most half the page faults setpriv adds over a bare exec,"
  echo "and its wall time is at most 0.6x gosu's."
} >"$out"
cat "$out"
