# it.container_static.*: the static binaries in a FROM scratch image, run by podman.

test_binaries_run_in_a_scratch_image() {
  for b in entrypoint healthcheck migrate; do
    run_capture podman_run --rm --network none "$IMAGE" "/usr/local/bin/$b" --version
    expect_rc 0
    expect_out "$b (Ballast)"
  done
}

test_migrate_applies_into_a_sqlite_volume_inside_the_container() {
  mkdir -p vol
  run_capture podman_run --rm --network none -v "$WORK/vol:/data" "$IMAGE" \
    /usr/local/bin/migrate apply --dir /migrations --database sqlite:/data/app.sqlite3
  expect_rc 0
  expect_out "2 migrations applied"
  expect_eq "2" "$(sqlite3 vol/app.sqlite3 'SELECT count(*) FROM ballast_schema_history')" "history rows"
}

test_entrypoint_exit_code_passes_through_the_container() {
  run_capture podman_run --rm --network none "$IMAGE" /bin/sh -c 'exit 42'
  expect_rc 42
}
