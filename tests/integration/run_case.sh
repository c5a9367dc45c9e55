#!/usr/bin/env bash
# run_case.sh SCRIPT CASE: runs the function CASE of SCRIPT in a fresh temporary folder that
# is removed afterwards, whatever the outcome. Exit 0 pass, 125 skipped, anything else failed.
set -u
script=$1 case=$2
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
WORK=$(mktemp -d /tmp/ballast-it.XXXXXX)
chmod 755 "$WORK"
cleanup_hooks=()
# on_exit CMD: runs CMD when the case ends (servers, containers), last registered first.
on_exit() { cleanup_hooks=("$*" "${cleanup_hooks[@]}"); }
finish() {
  local code=$?
  for h in "${cleanup_hooks[@]}"; do eval "$h" >/dev/null 2>&1 || true; done
  cd / && rm -rf "$WORK"
  exit "$code"
}
trap finish EXIT
trap 'exit 130' INT TERM
cd "$WORK" || exit 1
case "$(basename "$script")" in
  container_*) [ -f "$BALLAST_IT_STATE/image.ok" ] || skip "the test image was not built by it.fixture.image.build (see its output)" ;;
  release_*) [ -f "$BALLAST_IT_STATE/release.ok" ] || skip "scripts/release did not run: see it.fixture.release.build's output" ;;
  e2e_*) [ -f "$BALLAST_IT_STATE/example.ok" ] || skip "docker/example's image was not built by it.fixture.example.build (see its output)"
         command -v yq >/dev/null || skip "yq missing (it reads docker/example's YAML): run scripts/bootstrap" ;;
esac
# shellcheck disable=SC1090
. "$script"
"$case"
