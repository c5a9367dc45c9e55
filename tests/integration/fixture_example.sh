#!/usr/bin/env bash
# fixture_example.sh build: builds docker/example/Dockerfile, unchanged, for the it.e2e_*
# tests. No registry is reachable, so its two base images are made here FROM scratch and
# passed as its build arguments:
#   BALLAST_IMAGE  the final stage of docker/Dockerfile: the three static binaries in
#                  /usr/local/bin and scripts/licenses' output, nothing else;
#   BASE_IMAGE     a stand-in for the busybox image: static busybox with its applets in /bin.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
image_fixture_start example.ok
ctx=$(mktemp -d /tmp/ballast-example.XXXXXX)
trap 'rm -rf "$ctx"' EXIT

# docker/Dockerfile's final stage, from the binaries this build made.
mkdir -p "$ctx/ballast/usr/local/bin"
install -m 0755 "$ENTRYPOINT" "$HEALTHCHECK" "$MIGRATE" "$ctx/ballast/usr/local/bin/"
"$repo/scripts/licenses" "$ctx/ballast/usr/share/licenses/ballast"
printf 'FROM scratch\nCOPY / /\n' >"$ctx/ballast.Containerfile"
bpodman build -q -t "$BALLAST_IMAGE" -f "$ctx/ballast.Containerfile" "$ctx/ballast" >/dev/null

# The busybox stand-in: what the official image holds that the example uses.
mkdir -p "$ctx/base/bin" "$ctx/base/etc" "$ctx/base/tmp" "$ctx/base/root"
chmod 1777 "$ctx/base/tmp"
cp /bin/busybox "$ctx/base/bin/busybox"
for applet in $(/bin/busybox --list); do
  [ "$applet" = busybox ] || ln -s busybox "$ctx/base/bin/$applet"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n' >"$ctx/base/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$ctx/base/etc/group"
printf 'FROM scratch\nCOPY / /\nENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nCMD ["sh"]\n' >"$ctx/base.Containerfile"
bpodman build -q -t "$BASE_IMAGE" -f "$ctx/base.Containerfile" "$ctx/base" >/dev/null

# The example, exactly as users build it (docker format: OCI images drop HEALTHCHECK).
bpodman build -q --format docker --ulimit nofile=1024:1024 --ulimit nproc=4096:4096 \
  --build-arg "BALLAST_IMAGE=$BALLAST_IMAGE" --build-arg "BASE_IMAGE=$BASE_IMAGE" \
  -t "$EXAMPLE_IMAGE" "$repo/docker/example" >/dev/null
bpodman image prune -f >/dev/null 2>&1 || true  # the previous build's layers
touch "$BALLAST_IT_STATE/example.ok"
echo "built $EXAMPLE_IMAGE from docker/example/Dockerfile"
