# it.healthcheck.*: the real healthcheck binary against real listeners and files.

# start_httpd: serves ./www on a free loopback port with busybox httpd; sets $port.
start_httpd() {
  mkdir -p www && echo ok >www/index.html
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    port=$(( 20000 + RANDOM % 30000 ))
    busybox httpd -f -p "127.0.0.1:$port" -h www &
    local pid=$!
    on_exit "kill $pid"
    for _ in $(seq 50); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.02
    done
  done
  fail "could not start busybox httpd"
}

test_tcp_listener_is_healthy() {
  start_httpd
  run_capture "$HEALTHCHECK" "tcp://127.0.0.1:$port"
  expect_rc 0
  expect_out "healthy: tcp://127.0.0.1:$port connected in"
}

test_tcp_refused_is_unhealthy_exit_1() {
  run_capture "$HEALTHCHECK" tcp://127.0.0.1:1
  expect_rc 1
  expect_out "unhealthy: tcp://127.0.0.1:1 connect refused"
}

test_file_heartbeat_fresh_stale_missing() {
  touch beat
  run_capture "$HEALTHCHECK" "file://$WORK/beat" --max-age 60s
  expect_rc 0
  touch -d '-2 minutes' beat
  run_capture "$HEALTHCHECK" "file://$WORK/beat" --max-age 60s
  expect_rc 1
  expect_out "stale: modified"
  touch -d '+1 hour' beat
  run_capture "$HEALTHCHECK" "file://$WORK/beat" --max-age 60s
  expect_rc 1
  expect_out "in the future"
  run_capture "$HEALTHCHECK" "file://$WORK/missing"
  expect_rc 1
  expect_out "No such file or directory"
}

test_any_passes_when_one_of_several_targets_is_healthy() {
  touch beat
  run_capture "$HEALTHCHECK" --any tcp://127.0.0.1:1 "file://$WORK/beat"
  expect_rc 0
  run_capture "$HEALTHCHECK" tcp://127.0.0.1:1 "file://$WORK/beat"
  expect_rc 1
}

test_url_from_environment_and_json_output() {
  touch beat
  run_capture env HEALTHCHECK_URL="file://$WORK/beat" "$HEALTHCHECK" --json
  expect_rc 0
  expect_out '{"healthy":true,"targets":[{"detail":"fresh'
}
