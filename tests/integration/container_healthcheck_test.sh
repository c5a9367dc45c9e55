# it.container_healthcheck.*: a podman container whose HEALTHCHECK is healthcheck goes healthy,
# then unhealthy when the app stops answering.

test_podman_healthcheck_goes_healthy_then_unhealthy() {
  port=$(( 20000 + RANDOM % 30000 ))
  name="ballast-hc-$$-$RANDOM"
  run_capture podman_run -d --name "$name" --network host \
    --health-cmd "[\"/usr/local/bin/healthcheck\",\"--timeout\",\"2s\",\"http://127.0.0.1:$port/\"]" \
    --health-interval 1h "$IMAGE" /bin/sh -c "mkdir -p /tmp/www && echo ok >/tmp/www/index.html && httpd -p 127.0.0.1:$port -h /tmp/www && exec sleep 600"
  expect_rc 0
  on_exit "bpodman rm -f -t 0 $name"
  for _ in $(seq 50); do
    bpodman healthcheck run "$name" >/dev/null 2>&1 && break
    sleep 0.1
  done
  run_capture bpodman healthcheck run "$name"
  expect_rc 0
  expect_eq healthy "$(bpodman inspect --format '{{.State.Health.Status}}' "$name")" "health after the app answers"
  bpodman exec "$name" killall httpd || fail "could not stop httpd in the container"
  run_capture bpodman healthcheck run "$name"
  expect_rc 1
  expect_out "unhealthy"
  log=$(bpodman inspect --format '{{range .State.Health.Log}}{{.Output}}{{end}}' "$name")
  case "$log" in *"unhealthy: GET http://127.0.0.1:$port/ connect refused"*) ;; *) fail "health log lacks the probe's line: $log" ;; esac
}

test_localhost_reaches_an_ipv4_only_listener_where_busybox_wget_fails() {
  # An image whose /etc/hosts lists ::1 first for localhost, and an app listening on IPv4 only.
  printf '::1 localhost\n127.0.0.1 localhost\n' >hosts
  script='mkdir -p /tmp/www && echo ok >/tmp/www/index.html && httpd -p 127.0.0.1:8080 -h /tmp/www &&
    sleep 0.2; /usr/local/bin/healthcheck http://localhost:8080/; echo "healthcheck=$?";
    wget -q -O /dev/null http://localhost:8080/; echo "wget=$?"'
  run_capture podman_run --rm --network none -v "$WORK/hosts:/etc/hosts:ro" "$IMAGE" /bin/sh -c "$script"
  expect_out "healthy: GET http://localhost:8080/ -> 200"
  expect_out "healthcheck=0"
  expect_no_out "wget=0"
}
