# it.grpc_readiness.*: healthcheck grpc:// and grpcs:// (and entrypoint --wait through it)
# against a real gRPC server (python3-grpcio) speaking the standard health checking protocol.

# start_grpc STATE_JSON [CERT KEY]: the server on a free port, answering from $WORK/state.json
# (written from STATE_JSON; "" = no health service); sets $grpc_port.
start_grpc() {
  /usr/bin/python3 -c 'import grpc' 2>/dev/null || skip "python3-grpcio not installed; run scripts/bootstrap"
  [ -z "$1" ] || printf '%s' "$1" >"$WORK/state.json"
  shift
  start_server grpc_port /usr/bin/python3 "$here/grpc_health_server.py" "{port}" "$WORK/state.json" "$@"
}

test_serving_is_healthy_and_every_other_answer_is_unhealthy_and_named() {
  start_grpc '{"": "SERVING", "app.Orders": "NOT_SERVING", "app.Zero": "UNKNOWN", "app.Gone": "SERVICE_UNKNOWN"}'
  run_capture "$HEALTHCHECK" "grpc://127.0.0.1:$grpc_port"
  expect_rc 0
  expect_out "healthy: grpc://127.0.0.1:$grpc_port SERVING"
  run_capture "$HEALTHCHECK" "grpc://127.0.0.1:$grpc_port/app.Orders"
  expect_rc 1
  expect_out "NOT_SERVING"
  run_capture "$HEALTHCHECK" "grpc://127.0.0.1:$grpc_port/app.Zero"
  expect_rc 1
  expect_out " UNKNOWN"
  run_capture "$HEALTHCHECK" "grpc://127.0.0.1:$grpc_port/app.Gone"
  expect_rc 1
  expect_out "SERVICE_UNKNOWN"
  run_capture "$HEALTHCHECK" "grpc://127.0.0.1:$grpc_port/app.Nobody"
  expect_rc 1
  expect_out "NOT_FOUND: the server does not know this service (unknown service app.Nobody)"
  # The answer changes while the server runs: the next probe sees it.
  printf '{"": "NOT_SERVING"}' >"$WORK/state.json"
  run_capture "$HEALTHCHECK" "grpc://127.0.0.1:$grpc_port"
  expect_rc 1
  # JSON output names the status too.
  run_capture "$HEALTHCHECK" --json "grpc://127.0.0.1:$grpc_port"
  expect_out '"detail":"NOT_SERVING"'
}

test_server_without_a_health_service_or_slow_or_absent_is_unhealthy() {
  start_grpc ""
  run_capture "$HEALTHCHECK" "grpc://127.0.0.1:$grpc_port"
  expect_rc 1
  expect_out "UNIMPLEMENTED: the server has no grpc.health.v1.Health service"
  kill -9 "$(pgrep -f "grpc_health_server.py $grpc_port")"
  start_grpc '{"": "SLEEP"}'
  run_capture "$HEALTHCHECK" --timeout 700ms "grpc://127.0.0.1:$grpc_port"
  expect_rc 1
  expect_out "no answer within 700ms"
  run_capture "$HEALTHCHECK" "grpc://127.0.0.1:$(free_port)"
  expect_rc 1
  expect_out "connect refused"
  # An HTTP/1 server is not taken for a gRPC one.
  start_app
  run_capture "$HEALTHCHECK" "grpc://127.0.0.1:$port"
  expect_rc 1
  expect_out "grpc://127.0.0.1:$port"
  expect_no_out "SERVING"
}

test_grpcs_verifies_the_certificate_and_offers_h2() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout key.pem \
    -out cert.pem -days 30 -subj /CN=localhost \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>/dev/null
  start_grpc '{"": "SERVING"}' cert.pem key.pem
  run_capture "$HEALTHCHECK" --cacert cert.pem "grpcs://localhost:$grpc_port"
  expect_rc 0
  expect_out "SERVING"
  run_capture "$HEALTHCHECK" "grpcs://localhost:$grpc_port"
  expect_rc 1
  expect_out "signed by a CA not trusted here"
  run_capture "$HEALTHCHECK" "grpc://127.0.0.1:$grpc_port"
  expect_rc 1
  expect_out "a TLS port? use grpcs://"
}

test_entrypoint_waits_for_serving_through_healthcheck() {
  start_grpc '{"": "NOT_SERVING"}'
  "$ENTRYPOINT" --wait "grpc://127.0.0.1:$grpc_port" --wait-timeout 30s -- touch started \
    >wait.log 2>&1 &
  local waiter=$!
  on_exit "kill $waiter"
  wait_until 10 grep -q "waiting for grpc://127.0.0.1:$grpc_port: NOT_SERVING" wait.log
  [ ! -e started ] || fail "the command started before the service was SERVING"
  printf '{"": "SERVING"}' >"$WORK/state.json"
  wait_until 30 test -e started
  run_capture "$ENTRYPOINT" --wait "grpc://127.0.0.1:1" --wait-timeout 1s -- true
  expect_rc 69
  expect_out "connect refused"
}
