# it.container_dockerfile.*: docker/Dockerfile, built for real. Its base image is pinned by a
# registry digest, and no registry is reachable here, so the test makes the same Debian 12
# with debootstrap (from the host's own Debian mirror), imports it, and builds a copy of the
# Dockerfile whose only change is that FROM line. Everything else — the project's bootstrap
# in --build-only mode, the release build and its size budgets, scripts/licenses, the
# FROM scratch stage — runs as users run it.

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DEBIAN_IMAGE=localhost/debian-debootstrap:12
DOCKERFILE_IMAGE=localhost/ballast-dockerfile:test

# debian_mirror: the Debian mirror this host's apt uses.
debian_mirror() {
  {
    awk '/^URIs:/ {print $2}' /etc/apt/sources.list.d/debian.sources 2>/dev/null
    awk '$1 == "deb" {print $2}' /etc/apt/sources.list 2>/dev/null
  } | grep -v security | head -n1
}

# debian_base_image: builds $DEBIAN_IMAGE once (minbase bookworm), kept for later runs.
debian_base_image() {
  bpodman image exists "$DEBIAN_IMAGE" && return 0
  command -v debootstrap >/dev/null || skip "debootstrap missing: run scripts/bootstrap"
  local mirror
  mirror=$(debian_mirror)
  [ -n "$mirror" ] || skip "no Debian mirror in this host's apt sources"
  debootstrap --variant=minbase bookworm rootfs "$mirror" >debootstrap.log 2>&1 ||
    fail "debootstrap bookworm from $mirror failed: $(tail -n 5 debootstrap.log)"
  tar -C rootfs -c . | bpodman import - "$DEBIAN_IMAGE" >/dev/null || fail "podman import of the Debian 12 root failed"
  rm -rf rootfs
}

test_docker_dockerfile_builds_an_image_of_only_the_three_static_binaries_and_their_licences() {
  debian_base_image
  # The pinned FROM line, and nothing else, points at the local Debian 12.
  grep -Eq '^FROM --platform=\$BUILDPLATFORM debian:12-slim@sha256:[0-9a-f]{64} AS build$' "$REPO/docker/Dockerfile" ||
    fail "docker/Dockerfile's build stage is no longer 'FROM --platform=\$BUILDPLATFORM debian:12-slim@sha256:<digest> AS build'"
  sed -E "s|^FROM --platform=\\\$BUILDPLATFORM debian:12-slim@sha256:[0-9a-f]{64} AS build$|FROM --platform=\$BUILDPLATFORM $DEBIAN_IMAGE AS build|" \
    "$REPO/docker/Dockerfile" >Dockerfile
  expect_eq 1 "$(diff "$REPO/docker/Dockerfile" Dockerfile | grep -c '^>')" "lines changed in the copy"
  on_exit "bpodman rmi -f $DOCKERFILE_IMAGE; bpodman image prune -f"
  # The repository is the build context, as in `docker build -f docker/Dockerfile .`
  # (.dockerignore leaves build/ and .git/ out).
  run_capture bpodman build --platform linux/amd64 --network host --ulimit nofile=1024:1024 \
    --ulimit nproc=4096:4096 -f "$WORK/Dockerfile" -t "$DOCKERFILE_IMAGE" "$REPO"
  expect_rc 0
  # Judged on the image, not on the build's output: podman's layer cache skips the build
  # steps on a second run.
  cid=$(bpodman create "$DOCKERFILE_IMAGE" /usr/local/bin/migrate --version) || fail "podman create failed"
  on_exit "bpodman rm -f $cid"
  root=$(bpodman mount "$cid") || fail "podman mount failed"
  on_exit "bpodman umount $cid"
  expect_eq "/usr/local/bin/entrypoint
/usr/local/bin/healthcheck
/usr/local/bin/migrate" "$(cd "$root" && find . ! -type d | sed 's|^\.||' | grep -v '^/usr/share/licenses/ballast/' | sort)" \
    "files besides the licences"
  for f in README ballast.LICENSE glibc.copyright mbedtls.copyright libpq.copyright; do
    [ -s "$root/usr/share/licenses/ballast/$f" ] || fail "the image lacks /usr/share/licenses/ballast/$f"
  done
  local b budget size
  for b in entrypoint healthcheck migrate; do
    file "$root/usr/local/bin/$b" | grep -q 'statically linked' || fail "$b in the image is not static"
    file "$root/usr/local/bin/$b" | grep -q 'x86-64' || fail "$b in the image is not for x86-64: $(file "$root/usr/local/bin/$b")"
    budget=$(size_budget "$b")
    size=$(stat -c %s "$root/usr/local/bin/$b")
    [ -n "$budget" ] && [ "$size" -le "$budget" ] || fail "$b in the image is $size bytes, over its budget ${budget:-?}"
  done
  run_capture podman_run --rm --entrypoint /usr/local/bin/migrate "$DOCKERFILE_IMAGE" --version
  expect_rc 0
  expect_out "migrate (Ballast)"
}
