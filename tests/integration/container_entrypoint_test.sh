# it.container_entrypoint.*: the same image started as root (drop + chown) and as a non-root
# user (docker run --user 1001, OpenShift): both must work.

test_same_image_as_root_drops_to_app_and_owns_data_volume() {
  mkdir -p vol && touch vol/existing
  run_capture podman_run --rm --network none -v "$WORK/vol:/data" --entrypoint /usr/local/bin/entrypoint "$IMAGE" \
    --user app --chown /data -- /bin/sh -c 'id; grep -E "^(CapEff|CapBnd|NoNewPrivs)" /proc/self/status; touch /data/written'
  expect_rc 0
  expect_out "uid=1001(app) gid=1001(app)"
  expect_out "chown /data to 1001:1001"
  expect_out "CapEff:	0000000000000000"
  expect_out "CapBnd:	0000000000000000"
  expect_out "NoNewPrivs:	1"
  expect_eq "1001:1001" "$(stat -c %u:%g vol/existing)" "owner of vol/existing"
  expect_eq "1001:1001" "$(stat -c %u:%g vol/written)" "owner of a file the app wrote"
}

test_same_image_as_user_1001_skips_drop_with_one_info_line() {
  mkdir -p vol && chmod 777 vol
  run_capture podman_run --rm --network none --user 1001 -v "$WORK/vol:/data" --entrypoint /usr/local/bin/entrypoint \
    "$IMAGE" --user app --chown /data -- /bin/sh -c 'id -u'
  expect_rc 0
  expect_out "running as uid 1001 (not root): no privilege drop, no ownership changes"
  expect_out "1001"
}

test_prod_mode_root_refused_in_container() {
  run_capture podman_run --rm --network none -e MODE=prod --entrypoint /usr/local/bin/entrypoint "$IMAGE" -- /bin/sh -c 'echo ran'
  expect_rc 78
  expect_no_out "ran"
}

test_podman_stop_ends_an_httpd_behind_entrypoint_within_2s() {
  name="ballast-stop-$$-$RANDOM"
  run_capture podman_run -d --name "$name" --network none --entrypoint /usr/local/bin/entrypoint "$IMAGE" \
    -- httpd -f -p 127.0.0.1:8080 -h /tmp
  expect_rc 0
  on_exit "bpodman rm -f -t 0 $name"
  # httpd running means entrypoint forked it, so its signal handling is in place.
  wait_until 20 bpodman exec "$name" /bin/sh -c 'grep -qx httpd /proc/[0-9]*/comm'
  start=$(date +%s%N)
  bpodman stop -t 10 "$name" >/dev/null 2>&1 || fail "podman stop failed"
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  [ "$ms" -lt 5000 ] || fail "podman stop took ${ms}ms (httpd as PID 1 would take the full 10s)"
  expect_eq 143 "$(bpodman inspect --format '{{.State.ExitCode}}' "$name")" "exit code after SIGTERM"
}
