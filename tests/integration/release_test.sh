# it.release.*: what scripts/release publishes, as a user downloads it (it.fixture.release.build
# ran the script twice on this commit). arm64 binaries run through qemu-user (binfmt_misc).

DIST=$BALLAST_IT_STATE/dist-1
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VERSION=$(sed -n 's/^project(ballast VERSION \([0-9][0-9.]*\).*/\1/p' "$REPO/CMakeLists.txt")

# unpack ARCH: the ARCH tarball unpacked into $WORK/ARCH; prints the folder.
unpack() {
  mkdir -p "$WORK/$1"
  tar -xzf "$DIST/ballast-$VERSION-linux-$1.tar.gz" -C "$WORK/$1"
  echo "$WORK/$1/ballast-$VERSION-linux-$1"
}

test_two_builds_of_one_commit_are_byte_identical() {
  [ -s "$DIST/SHA256SUMS" ] || fail "no SHA256SUMS in $DIST"
  diff "$DIST/SHA256SUMS" "$BALLAST_IT_STATE/dist-2/SHA256SUMS" \
    || fail "the second build differs (above): not reproducible"
  expect_eq 6 "$(wc -l <"$DIST/SHA256SUMS")" "artifacts checksummed (tarball, SBOM and .deb per architecture)"
}

test_checksums_verify_as_a_user_checks_them() {
  run_capture sh -c "cd '$DIST' && sha256sum -c SHA256SUMS"
  expect_rc 0
  expect_out "ballast-$VERSION-linux-arm64.tar.gz: OK"
  cp "$DIST"/* . && printf 'x' >>"ballast_${VERSION}_amd64.deb"
  run_capture sha256sum -c SHA256SUMS
  expect_rc 1
  expect_out "ballast_${VERSION}_amd64.deb: FAILED"
}

test_tarballs_hold_static_binaries_for_their_architecture() {
  local arch machine dir b
  for arch in amd64 arm64; do
    dir=$(unpack "$arch")
    case "$arch" in amd64) machine="x86-64" ;; arm64) machine="ARM aarch64" ;; esac
    for b in entrypoint healthcheck migrate; do
      run_capture file "$dir/$b"
      expect_out "$machine"
      expect_out "statically linked"
      expect_out "stripped"
      run_capture "$dir/$b" --version
      expect_rc 0
      expect_out "architecture: $( [ "$arch" = amd64 ] && echo x86_64 || echo aarch64)"
      expect_out "$b (Ballast) $VERSION"
    done
    for f in README.md LICENSE licenses/README licenses/libpq.copyright sbom.spdx.json; do
      [ -f "$dir/$f" ] || fail "$arch tarball lacks $f"
    done
  done
}

test_binaries_stay_within_their_size_budgets_on_both_architectures() {
  local arch dir b budget size
  for arch in amd64 arm64; do
    dir=$(unpack "$arch")
    for b in entrypoint healthcheck migrate; do
      budget=$(size_budget "$b")
      size=$(stat -c %s "$dir/$b")
      [ "$size" -le "$budget" ] || fail "$arch $b is $size bytes, over its budget of $budget"
    done
  done
}

test_sbom_lists_every_linked_library_with_its_version_and_licence() {
  command -v jq >/dev/null || skip "jq missing: run scripts/bootstrap"
  local arch sbom lib
  for arch in amd64 arm64; do
    sbom=$DIST/ballast-$VERSION-linux-$arch.spdx.json
    expect_eq "SPDX-2.3" "$(jq -r .spdxVersion "$sbom")" "$arch SBOM version"
    for lib in libpq SQLite mbedTLS libpg_query libcap spdlog fmt nlohmann_json Boost OpenSSL nghttp2 glibc; do
      run_capture jq -r --arg n "$lib" '.packages[] | select(.name == $n) | "\(.versionInfo) \(.licenseDeclared)"' "$sbom"
      [ -n "$out" ] || fail "$arch SBOM does not list $lib"
      grep -qE '^[0-9]' <<<"$out" || fail "$arch SBOM: $lib has no version: $out"
      case "$out" in *NOASSERTION*) fail "$arch SBOM: $lib has no licence" ;; esac
    done
    # Which binary contains what comes from the link: only migrate has libpq, only entrypoint
    # libcap.
    expect_eq "SPDXRef-migrate" "$(jq -r '.relationships[] | select(.relatedSpdxElement == "SPDXRef-lib-postgresql-15") | .spdxElementId' "$sbom")" "$arch: who contains libpq"
    expect_eq "SPDXRef-entrypoint" "$(jq -r '.relationships[] | select(.relatedSpdxElement == "SPDXRef-lib-libcap2") | .spdxElementId' "$sbom")" "$arch: who contains libcap"
  done
  cmp "$DIST/ballast-$VERSION-linux-arm64.spdx.json" <(tar -xzOf "$DIST/ballast-$VERSION-linux-arm64.tar.gz" "ballast-$VERSION-linux-arm64/sbom.spdx.json") \
    || fail "the SBOM in the tarball differs from the published one"
}

test_debs_install_the_binaries_to_usr_bin() {
  local arch
  for arch in amd64 arm64; do
    expect_eq "$arch" "$(dpkg-deb -f "$DIST/ballast_${VERSION}_$arch.deb" Architecture)" "deb architecture"
    mkdir -p "root-$arch"
    dpkg-deb -x "$DIST/ballast_${VERSION}_$arch.deb" "root-$arch"
    run_capture "root-$arch/usr/bin/migrate" --version
    expect_rc 0
    expect_out "migrate (Ballast) $VERSION"
    [ -f "root-$arch/usr/share/doc/ballast/copyright" ] || fail "$arch deb has no copyright file"
  done
}

test_arm64_binaries_drop_chown_probe_and_apply_under_qemu() {
  [ "$(id -u)" = 0 ] || skip "needs root (privilege drop and ownership)"
  local dir
  dir=$(unpack arm64)
  mkdir -p data/sub && touch data/sub/f
  run_capture "$dir/entrypoint" --user 65534:65534 --chown "$WORK/data" -- sh -c 'id -u; id -g; stat -c %u:%g '"$WORK/data/sub/f"
  expect_rc 0
  expect_eq "65534
65534
65534:65534" "$(grep -v '^entrypoint:' <<<"$out")" "ids after the drop, owner after --chown"
  printf 'ok' >ready
  run_capture "$dir/healthcheck" "file://$WORK/ready"
  expect_rc 0
  start_server port busybox httpd -f -p 127.0.0.1:{port} -h "$WORK"
  run_capture "$dir/healthcheck" --expect-body ok "http://127.0.0.1:$port/ready"
  expect_rc 0
  mkdir -p migrations && printf 'CREATE TABLE t (id INTEGER PRIMARY KEY);\n' >migrations/001_t.sql
  run_capture "$dir/migrate" apply --dir migrations --database "sqlite:$WORK/app.sqlite3"
  expect_rc 0
  expect_out "1 migration applied"
  expect_eq "t" "$(sqlite3 app.sqlite3 "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 't'")" "table"
}

test_arm64_binaries_run_in_a_scratch_image() {
  podman_usable || skip "podman/runc missing or not root: run scripts/bootstrap as root"
  local dir image=localhost/ballast-arm64-it:test
  dir=$(unpack arm64)
  mkdir -p ctx/usr/local/bin ctx/bin ctx/etc ctx/data ctx/migrations
  cp "$dir/entrypoint" "$dir/healthcheck" "$dir/migrate" ctx/usr/local/bin/
  cp /bin/busybox ctx/bin/busybox
  for a in sh id stat; do ln -s busybox "ctx/bin/$a"; done
  printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1001:1001:app:/home/app:/bin/sh\n' >ctx/etc/passwd
  printf 'root:x:0:\napp:x:1001:\n' >ctx/etc/group
  printf 'CREATE TABLE t (id INTEGER PRIMARY KEY);\n' >ctx/migrations/001_t.sql
  printf 'FROM scratch\nCOPY . /\nENV PATH=/usr/local/bin:/bin\n' >ctx/Containerfile
  bpodman build -q -t "$image" -f ctx/Containerfile ctx >/dev/null || fail "podman build failed"
  on_exit bpodman rmi -f "$image"
  run_capture podman_run --rm --network none "$image" /usr/local/bin/entrypoint --user app --chown /data -- \
    sh -c 'id -u; stat -c %U /data; migrate apply --dir /migrations --database sqlite:/data/app.sqlite3 && healthcheck file:///data/app.sqlite3 && echo probe-ok'
  expect_rc 0
  expect_out "1001"
  expect_out "1 migration applied"
  expect_out "probe-ok"
}

test_scripts_demo_steps_pass_on_the_arm64_binaries() {
  [ "$(id -u)" = 0 ] || skip "needs root (the demo drops root)"
  local dir
  dir=$(unpack arm64)
  run_capture "$REPO/scripts/demo" --bin "$dir"
  expect_rc 0
  expect_out "ARM aarch64"
  expect_out "migrations applied"
  expect_out "hello from nobody"
  expect_out "NoNewPrivs:	1"
  expect_out "exit code: 78"
}
