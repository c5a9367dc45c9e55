# it.healthcheck.*: the real healthcheck binary against real servers started here.


test_http_200_is_healthy_with_one_line() {
  start_app
  run_capture "$HEALTHCHECK" "http://127.0.0.1:$port/api/health"
  expect_rc 0
  expect_eq 1 "$(printf '%s\n' "$out" | wc -l)" "lines of output"
  expect_out "healthy: GET http://127.0.0.1:$port/api/health -> 200 in "
}

# busybox httpd sends "HTTP/1.1 503" with no reason phrase: accepted, as curl accepts it.
test_http_503_is_unhealthy_naming_the_rule() {
  start_app
  run_capture "$HEALTHCHECK" "http://127.0.0.1:$port/cgi-bin/status?503"
  expect_rc 1
  expect_out "-> 503 (expected 200-399)"
}

test_status_ranges_decide() {
  start_app
  run_capture "$HEALTHCHECK" --status 200-299,418 "http://127.0.0.1:$port/cgi-bin/status?418"
  expect_rc 0
  run_capture "$HEALTHCHECK" --status 200 "http://127.0.0.1:$port/cgi-bin/status?204"
  expect_rc 1
  expect_out "(expected 200)"
}

test_redirect_is_judged_not_followed() {
  start_app
  run_capture "$HEALTHCHECK" "http://127.0.0.1:$port/cgi-bin/redirect"
  expect_rc 0
  expect_out "-> 302"
  run_capture "$HEALTHCHECK" --status 200-299 "http://127.0.0.1:$port/cgi-bin/redirect"
  expect_rc 1
  expect_out "-> 302 (expected 200-299)"
}

test_json_pointer_matches_and_mismatches() {
  start_app
  run_capture "$HEALTHCHECK" --expect-json /status=healthy --expect-json /checks/db/ok=true \
    --expect-json /checks/db/ms=3 "http://127.0.0.1:$port/api/health"
  expect_rc 0
  run_capture "$HEALTHCHECK" --expect-json /status=degraded "http://127.0.0.1:$port/api/health"
  expect_rc 1
  expect_out '/status is "healthy", expected "degraded"'
  run_capture "$HEALTHCHECK" --expect-json /checks/cache/ok=true "http://127.0.0.1:$port/api/health"
  expect_rc 1
  expect_out "/checks/cache/ok is missing"
  run_capture "$HEALTHCHECK" --expect-body '"ok":true' "http://127.0.0.1:$port/api/health"
  expect_rc 0
  run_capture "$HEALTHCHECK" --expect-body 'nope' "http://127.0.0.1:$port/api/health"
  expect_rc 1
}

test_body_is_read_to_64_kib_at_most() {
  start_app
  run_capture "$HEALTHCHECK" "http://127.0.0.1:$port/big"
  expect_rc 0
  run_capture "$HEALTHCHECK" --expect-json /x=1 "http://127.0.0.1:$port/big"
  expect_rc 1
  expect_out "body over 64 KiB"
}

test_dead_proxy_in_the_environment_changes_nothing() {
  start_app
  run_capture env http_proxy=http://127.0.0.1:1 HTTP_PROXY=http://127.0.0.1:1 https_proxy=http://127.0.0.1:1 \
    ALL_PROXY=http://127.0.0.1:1 NO_PROXY= "$HEALTHCHECK" "http://127.0.0.1:$port/api/health"
  expect_rc 0
}

test_server_that_accepts_and_never_answers_hits_the_deadline_on_time() {
  start_server p socat "TCP-LISTEN:{port},bind=127.0.0.1,reuseaddr,fork" SYSTEM:'sleep 30'
  on_exit "pkill -f 'sleep 30' || true"
  start=$(date +%s%N)
  run_capture "$HEALTHCHECK" --timeout 1s "http://127.0.0.1:$p/"
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  expect_rc 1
  expect_out "no answer within 1000ms"
  # Never early; late by at most what a machine at load 20 adds to exiting (the backstop timer
  # fires 250 ms after the deadline in any case).
  [ "$ms" -ge 950 ] && [ "$ms" -le 2500 ] || fail "took ${ms}ms for a 1s deadline (want 950-2500ms)"
}

test_unix_socket_target_and_http_over_unix_socket() {
  start_app
  socat "UNIX-LISTEN:$WORK/app.sock,fork" "TCP:127.0.0.1:$port" &
  on_exit "kill $!"
  for _ in $(seq 100); do [ -S app.sock ] && break; sleep 0.02; done
  run_capture "$HEALTHCHECK" --unix-socket "$WORK/app.sock" --expect-json /status=healthy http://localhost/api/health
  expect_rc 0
  run_capture "$HEALTHCHECK" "unix://$WORK/app.sock"
  expect_rc 0
  run_capture "$HEALTHCHECK" "unix://$WORK/missing.sock"
  expect_rc 1
  expect_out "no socket at"
}

test_tls_self_signed_fails_without_trust_passes_with_cacert_or_insecure() {
  openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 2 -subj /CN=localhost \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" >/dev/null 2>&1 || skip "openssl cannot make a certificate"
  start_server p openssl s_server -accept "127.0.0.1:{port}" -cert cert.pem -key key.pem -www -quiet
  run_capture "$HEALTHCHECK" "https://localhost:$p/"
  expect_rc 1
  expect_out "certificate verify failed"
  run_capture "$HEALTHCHECK" --cacert cert.pem "https://localhost:$p/"
  expect_rc 0
  run_capture "$HEALTHCHECK" --insecure "https://localhost:$p/"
  expect_rc 0
  openssl req -x509 -newkey rsa:2048 -nodes -keyout k2.pem -out other.pem -days 2 -subj /CN=other >/dev/null 2>&1
  run_capture "$HEALTHCHECK" --cacert other.pem "https://localhost:$p/"
  expect_rc 1
  expect_out "signed by a CA not trusted here: pass --cacert FILE or DIR"
}

test_tls_failures_say_what_to_do() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout key.pem -out cert.pem \
    -days 2 -subj /CN=app.internal -addext "subjectAltName=DNS:app.internal" >/dev/null 2>&1 ||
    skip "openssl cannot make a certificate"
  start_server p openssl s_server -accept "127.0.0.1:{port}" -cert cert.pem -key key.pem -www -quiet
  run_capture "$HEALTHCHECK" --cacert cert.pem "https://localhost:$p/"
  expect_rc 1
  expect_out "the certificate is for another name"
  start_app
  run_capture "$HEALTHCHECK" "https://127.0.0.1:$port/api/health"
  expect_rc 1
  expect_out "the server did not answer in TLS (a port without TLS? use http://"
}

test_tcp_listener_healthy_and_refused_unhealthy() {
  start_app
  run_capture "$HEALTHCHECK" "tcp://127.0.0.1:$port"
  expect_rc 0
  expect_out "healthy: tcp://127.0.0.1:$port connected in"
  run_capture "$HEALTHCHECK" tcp://127.0.0.1:1
  expect_rc 1
  expect_out "unhealthy: tcp://127.0.0.1:1 connect refused"
}

test_file_heartbeat_fresh_stale_future_missing() {
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

test_any_and_all_of_several_targets() {
  touch beat
  run_capture "$HEALTHCHECK" --any tcp://127.0.0.1:1 "file://$WORK/beat"
  expect_rc 0
  expect_eq 2 "$(printf '%s\n' "$out" | wc -l)" "lines of output"
  run_capture "$HEALTHCHECK" tcp://127.0.0.1:1 "file://$WORK/beat"
  expect_rc 1
}

test_configured_by_environment_alone_with_json_output() {
  start_app
  run_capture env HEALTHCHECK_URL="http://127.0.0.1:$port/api/health" HEALTHCHECK_EXPECT_JSON=/status=healthy \
    HEALTHCHECK_JSON=1 "$HEALTHCHECK"
  expect_rc 0
  expect_out '{"healthy":true,"targets":[{"detail":"-> 200","healthy":true'
}

test_usage_errors_exit_1_never_2() {
  for args in "--bogus" "ftp://x/" "--status 2xx http://127.0.0.1:1/" "--method POST http://127.0.0.1:1/" ""; do
    # shellcheck disable=SC2086
    run_capture "$HEALTHCHECK" $args
    expect_rc 1
    expect_out "healthcheck: fatal:"
  done
}

test_wait_until_a_late_server_comes_up_and_give_up_on_one_that_never_does() {
  p=$(free_port)
  mkdir -p late && echo ok >late/index.html
  (sleep 1.5; exec busybox httpd -f -p "127.0.0.1:$p" -h "$WORK/late") &
  on_exit "pkill -f 'httpd -f -p 127.0.0.1:$p'"
  run_capture "$HEALTHCHECK" --wait --wait-timeout 10s --interval 200ms "http://127.0.0.1:$p/"
  expect_rc 0
  start=$(date +%s%N)
  run_capture "$HEALTHCHECK" --wait --wait-timeout 1s --interval 100ms tcp://127.0.0.1:1
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  expect_rc 1
  [ "$ms" -lt 3500 ] || fail "--wait-timeout 1s took ${ms}ms"
}

test_static_build_keeps_tls_code_and_tables_after_everything_a_plain_probe_touches() {
  file "$HEALTHCHECK" | grep -q 'statically linked' || skip "not a static build (healthcheck/tls_last.ld applies to static links)"
  sections=$(readelf -SW "$HEALTHCHECK" | sed -n 's/^ *\[ *[0-9]*\] \([^ ]*\) *[A-Z_]* *\([0-9a-f]*\) .*/\1 \2/p')
  addr() { awk -v s="$1" '$1 == s {print $2}' <<<"$sections"; }
  for pair in ".text .text.tls" ".rodata .rodata.tls"; do
    set -- $pair
    [ -n "$(addr "$2")" ] || fail "no $2 section: mbedTLS is interleaved with the plain-HTTP code again"
    [ $(( 16#$(addr "$2") )) -gt $(( 16#$(addr "$1") )) ] || fail "$2 is not after $1"
  done
  # Only .fini (a few bytes of exit code) may follow it among the executable sections.
  last_exec=$(readelf -SW "$HEALTHCHECK" | awk '/ AX / && !/\.fini/ {for (i = 1; i <= NF; i++) if ($i ~ /^[._]/) {name = $i; break}} END {print name}')
  expect_eq .text.tls "$last_exec" "last executable section before .fini"
}
