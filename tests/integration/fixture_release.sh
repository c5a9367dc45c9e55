#!/usr/bin/env bash
# fixture_release.sh build: runs scripts/release twice on this commit, into
# $BALLAST_IT_STATE/dist-1 and dist-2, for it.release_* (reproducibility, the tarballs, the
# .debs, the SBOMs and the arm64 binaries under qemu-user).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
rm -f "$BALLAST_IT_STATE/release.ok"
mkdir -p "$BALLAST_IT_STATE"
command -v aarch64-linux-gnu-g++ >/dev/null || skip "the arm64 cross toolchain is missing: run scripts/bootstrap --arch arm64 as root"
[ -f /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || skip "qemu-aarch64 is not registered with binfmt_misc: run scripts/bootstrap --arch arm64 as root"
repo=$(cd "$here/../.." && pwd)
git -C "$repo" rev-parse -q --verify HEAD >/dev/null || skip "$repo is not a git checkout (scripts/release builds a commit)"
for n in 1 2; do
  rm -rf "$BALLAST_IT_STATE/dist-$n"
  "$repo/scripts/release" --out "$BALLAST_IT_STATE/dist-$n"
done
touch "$BALLAST_IT_STATE/release.ok"
