# it.faults.*: the binaries under faults: servers that misbehave on the wire, a signal storm
# while orphans are reaped, an ownership change killed half-way. Each ends in the documented
# way: one line, the documented exit code, never a crash, a hang or something left behind.

# serve_with CMD [SOCAT_OPTIONS]: a socat server on a free loopback port that runs the shell
# CMD for every connection (its stdout is what the client reads); sets $port.
serve_with() {
  # In a script file: socat's address syntax would split CMD at its colons and commas.
  local script
  script=$(mktemp "$WORK/server-XXXXXX.sh")
  printf '%s\n' "$1" >"$script"
  start_server port socat "TCP-LISTEN:{port},bind=127.0.0.1,reuseaddr,fork${2:+,$2}" EXEC:"sh $script"
}

# probe_misbehaving WHAT: healthcheck --timeout 2s against $port: unhealthy (1) within the
# deadline plus a margin for a loaded machine, exactly one line, that line naming WHAT.
probe_misbehaving() {
  local start ms
  start=$(date +%s%N)
  run_capture "$HEALTHCHECK" --timeout 2s "http://127.0.0.1:$port/health"
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  expect_rc 1
  expect_out "unhealthy: GET http://127.0.0.1:$port/health"
  expect_out "$1"
  expect_eq 1 "$(printf '%s\n' "$out" | grep -c .)" "lines of output"
  [ "${#out}" -le 4096 ] || fail "a line of ${#out} bytes (Docker keeps 4 KiB)"
  [ "$ms" -le 4500 ] || fail "took ${ms}ms for a 2s deadline"
}

test_healthcheck_against_a_server_that_resets_the_connection() {
  serve_with 'head -c 1 >/dev/null' linger=0
  probe_misbehaving "closed"
}

test_healthcheck_against_a_server_that_stalls_in_the_middle_of_a_header() {
  serve_with 'printf "HTTP/1.1 200 OK\r\nContent-Type: te"; sleep 30'
  probe_misbehaving "no answer within 2000ms"
}

test_healthcheck_against_a_server_that_sends_garbage() {
  serve_with 'head -c 3000 /dev/urandom'
  probe_misbehaving "response"
}

test_healthcheck_against_a_server_that_sends_headers_forever() {
  serve_with 'printf "HTTP/1.1 200 OK\r\n"; while :; do printf "X-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n"; done'
  probe_misbehaving "header limit"
}

test_healthcheck_against_a_server_that_sends_a_body_forever() {
  serve_with 'printf "HTTP/1.1 503 Busy\r\nContent-Length: 999999999\r\n\r\n"; cat /dev/zero'
  probe_misbehaving "503"
}

test_healthcheck_against_a_server_that_sends_a_status_line_forever() {
  serve_with 'printf "HTTP/1.1 200 "; cat /dev/zero | tr "\0" x'
  probe_misbehaving "response"
}

test_entrypoint_survives_a_signal_storm_while_reaping_a_thousand_orphans() {
  [ "$(id -u)" = 0 ] || skip "needs root for a PID namespace"
  unshare --pid --fork --mount-proc true 2>/dev/null || skip "unshare --pid is not permitted here"
  # The app counts nothing and ignores TERM/USR1/HUP (it traps them): it ends when told to, by
  # a file, with its own exit code 7, which must come back exactly.
  unshare --pid --fork --mount-proc "$ENTRYPOINT" -- sh -c "
    trap ':' TERM USR1 HUP
    for i in \$(seq 1000); do (sleep 0.01 &) ; done
    touch '$WORK/spawned'
    until [ -e '$WORK/stop' ]; do sleep 0.05; done
    z=0
    for s in /proc/[0-9]*/status; do
      grep -q '^State:.*Z' \"\$s\" 2>/dev/null && z=\$((z + 1))
    done
    echo \"zombies=\$z\" >'$WORK/result'
    exit 7" >app.log 2>&1 &
  outer=$!
  wait_until 30 test -e spawned
  init=$(pgrep -P "$outer" | head -n1)
  [ -n "$init" ] || fail "no PID 1 under unshare"
  for _ in $(seq 200); do
    kill -TERM "$init"; kill -CHLD "$init"; kill -USR1 "$init"; kill -HUP "$init"
  done 2>/dev/null
  # Every orphan (reparented to PID 1) has exited and been reaped before the app looks: no
  # sleep left under PID 1, running or zombie.
  wait_until 30 sh -c "! pgrep -x sleep -P $init"
  touch stop
  wait "$outer"
  rc=$?
  [ "$rc" = 7 ] || fail "exit $rc, want the app's own 7: $(cat app.log)"
  expect_eq "zombies=0" "$(cat result)" "zombies left when the app ended"
}

test_chown_killed_half_way_converges_on_the_rerun_and_touches_nothing_outside() {
  [ "$(id -u)" = 0 ] || skip "needs root to change owners"
  mkdir -p data outside
  for d in $(seq 200); do
    mkdir "data/d$d"
    (cd "data/d$d" && touch $(seq -f 'f%g' 250))
  done
  echo keep >outside/secret
  ln -s "$WORK/outside" data/link-to-outside
  ln -s "$WORK/outside/secret" data/d1/link-to-secret
  ln outside/secret data/d2/hardlink-to-secret 2>/dev/null || true
  "$ENTRYPOINT" --chown data --user 1001:1001 -- true &
  pid=$!
  # Killed as soon as it has changed something, wherever it is in the tree by then.
  until [ -n "$(find data -maxdepth 2 -uid 1001 -print -quit)" ] || ! kill -0 "$pid" 2>/dev/null; do :; done
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  left=$(find data -path data/link-to-outside -prune -o ! -uid 1001 -print | wc -l)
  echo "after SIGKILL: $left entries not yet changed"
  run_capture "$ENTRYPOINT" --chown data --user 1001:1001 -- true
  expect_rc 0
  expect_eq 0 "$(find data ! -uid 1001 ! -type l ! -name hardlink-to-secret | wc -l)" "entries not owned by 1001 after the rerun"
  expect_eq "0:0" "$(stat -c %u:%g outside outside/secret | sort -u)" "owner outside the tree"
}

# probe_healthy [ARGS...]: healthcheck against $port is healthy (0) with one line.
probe_healthy() {
  run_capture "$HEALTHCHECK" --timeout 3s "$@" "http://127.0.0.1:$port/health"
  expect_rc 0
  expect_out "healthy: GET http://127.0.0.1:$port/health -> 200"
}

test_healthcheck_skips_interim_responses_before_the_final_one() {
  serve_with 'head -c 1 >/dev/null; printf "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"'
  probe_healthy --expect-body ok
}

test_healthcheck_reads_a_reply_with_bare_lf_line_ends() {
  serve_with 'head -c 1 >/dev/null; printf "HTTP/1.1 200 OK\nContent-Length: 7\nContent-Type: text/plain\n\nhealthy"'
  probe_healthy --expect-body healthy
}

test_healthcheck_reads_a_header_of_32_kib() {
  serve_with 'head -c 1 >/dev/null; printf "HTTP/1.1 200 OK\r\nX-Big: "; head -c 32768 /dev/zero | tr "\0" a; printf "\r\nContent-Length: 2\r\n\r\nok"'
  probe_healthy
}

test_healthcheck_searches_the_first_64_kib_of_a_long_content_length_body() {
  serve_with 'head -c 1 >/dev/null; printf "HTTP/1.1 200 OK\r\nContent-Length: 66560\r\n\r\nstatus: healthy\n"; head -c 66544 /dev/zero | tr "\0" x'
  probe_healthy --expect-body healthy
}

test_healthcheck_wait_cuts_its_last_try_to_the_time_left() {
  local start ms
  serve_with 'sleep 30'
  start=$(date +%s%N)
  # --timeout 5s per try, --wait-timeout 1s in all: the whole wait ends near 1s, not 5s.
  run_capture "$HEALTHCHECK" --wait --wait-timeout 1s --timeout 5s "http://127.0.0.1:$port/health"
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  expect_rc 1
  expect_out "no answer within"
  [ "$ms" -lt 4000 ] || fail "took ${ms}ms for --wait-timeout 1s (each try may take 5s)"
}
