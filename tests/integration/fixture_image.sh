#!/usr/bin/env bash
# fixture_image.sh build: builds the FROM scratch test image holding the three static binaries
# and busybox (for a shell, httpd and sleep), the way users' images hold them.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
image_fixture_start image.ok
ctx=$(mktemp -d /tmp/ballast-image.XXXXXX)
trap 'rm -rf "$ctx"' EXIT
mkdir -p "$ctx/usr/local/bin" "$ctx/bin" "$ctx/etc" "$ctx/tmp"
cp "$ENTRYPOINT" "$HEALTHCHECK" "$MIGRATE" "$ctx/usr/local/bin/"
cp /bin/busybox "$ctx/bin/busybox"
for applet in sh sleep httpd cat id ls grep touch stat env kill killall mkdir wget; do ln -s busybox "$ctx/bin/$applet"; done
printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1001:1001:app:/home/app:/bin/sh\n' >"$ctx/etc/passwd"
printf 'root:x:0:\napp:x:1001:\n' >"$ctx/etc/group"
cp -r "$here/../../docker/example/migrations" "$ctx/migrations"
cat >"$ctx/Containerfile" <<'CF'
FROM scratch
COPY . /
ENV PATH=/usr/local/bin:/bin
ENTRYPOINT ["/usr/local/bin/entrypoint", "--"]
CF
bpodman build -q -t "$IMAGE" -f "$ctx/Containerfile" "$ctx" >/dev/null
bpodman image prune -f >/dev/null 2>&1 || true  # the previous build's layers
touch "$BALLAST_IT_STATE/image.ok"
echo "built $IMAGE"
