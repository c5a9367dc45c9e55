# it.entrypoint_init.*: entrypoint as PID 1 (a fresh PID namespace) or with --init, as tini's
# and dumb-init's suites test themselves: exit codes, signals, reaping, grace, tty.

require_unshare() {
  [ "$(id -u)" = 0 ] || skip "needs root for a PID namespace"
  unshare --pid --fork --mount-proc true 2>/dev/null || skip "unshare --pid is not permitted here"
}

# as_pid1 ARGS...: entrypoint ARGS as PID 1 of a fresh PID namespace with its own /proc.
as_pid1() { unshare --pid --fork --mount-proc "$ENTRYPOINT" "$@"; }

# wait_file PATH: waits up to 5 s for PATH to exist.
wait_file() { wait_until 20 test -e "$1"; }

test_every_exit_code_0_to_255_is_propagated_exactly_as_pid1() {
  require_unshare
  for code in $(seq 0 255); do
    as_pid1 -- sh -c "exit $code" 2>/dev/null
    got=$?
    [ "$got" = "$code" ] || fail "exit $code came back as $got"
  done
}

test_signals_reach_the_app_and_death_by_signal_gives_128_plus_n() {
  for sig in TERM INT HUP USR1 USR2; do
    rm -f ready
    "$ENTRYPOINT" --init -- sh -c "touch '$WORK/ready'; exec sleep 100" &
    pid=$!
    wait_file ready
    sleep 0.1  # let the exec into sleep happen
    kill -"$sig" "$pid"
    wait "$pid"
    got=$?
    want=$(( 128 + $(kill -l "$sig") ))
    [ "$got" = "$want" ] || fail "SIG$sig: exit $got, want $want"
  done
}

test_signals_reach_a_trapping_app_as_pid1() {
  require_unshare
  for sig in TERM INT HUP USR1 USR2; do
    rm -f ready got
    unshare --pid --fork --mount-proc "$ENTRYPOINT" -- sh -c \
      "trap 'echo $sig >\"$WORK/got\"; exit 7' $sig; touch '$WORK/ready'; while :; do sleep 0.05; done" &
    outer=$!
    wait_file ready
    init=$(pgrep -P "$outer" | head -n1)
    [ -n "$init" ] || fail "no PID 1 under unshare"
    kill -"$sig" "$init"
    wait "$outer"
    got=$?
    [ "$got" = 7 ] || fail "SIG$sig: exit $got, want the app's own 7"
    expect_eq "$sig" "$(cat got)" "signal the app saw"
  done
}

test_a_thousand_orphaned_zombies_are_reaped() {
  require_unshare
  run_capture as_pid1 -- sh -c '
    for i in $(seq 1000); do (sleep 0.01 &) ; done
    # Wait for the condition, not a fixed time: every orphan has exited (none runs) and none
    # is left a zombie; 20 s covers a machine at load 20.
    for t in $(seq 400); do
      live=0 z=0
      for s in /proc/[0-9]*/status; do
        st=$(grep "^State:" "$s" 2>/dev/null) || continue
        case "$st" in *Z*) z=$((z + 1)) ;; esac
        grep -q "^Name:.sleep" "$s" 2>/dev/null && case "$st" in *Z*) ;; *) live=$((live + 1)) ;; esac
      done
      [ "$live" = 0 ] && [ "$z" = 0 ] && break
      sleep 0.05
    done
    echo "zombies=$z"'
  expect_rc 0
  expect_out "zombies=0"
}

test_group_member_ignoring_sigterm_is_killed_after_the_grace() {
  rm -f member.pid
  start=$(date +%s%N)
  run_capture "$ENTRYPOINT" --init --grace 1s -- sh -c \
    "sh -c 'trap \"\" TERM; echo \$\$ >\"$WORK/member.pid\"; while :; do sleep 0.05; done' & sleep 0.3; exit 3"
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  expect_rc 3
  member=$(cat member.pid)
  ! kill -0 "$member" 2>/dev/null || fail "the member that ignored SIGTERM is still alive"
  # Lower bound exact (the grace is waited); the upper one holds on a machine at load 20.
  [ "$ms" -ge 1200 ] && [ "$ms" -le 6000 ] || fail "took ${ms}ms; want the 1s grace after the 0.3s app"
}

test_group_members_that_obey_sigterm_end_without_waiting_the_grace() {
  start=$(date +%s%N)
  run_capture "$ENTRYPOINT" --init --grace 10s -- sh -c "sleep 100 & sleep 0.2; exit 0"
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  expect_rc 0
  [ "$ms" -lt 6000 ] || fail "took ${ms}ms: waited for the 10s grace though the member obeyed SIGTERM"
}

test_single_child_forwards_to_the_child_only() {
  rm -f ready member-got
  # The member outlives the command in --single-child mode (its business, as with tini): its
  # output goes away from the test's and the test ends it.
  "$ENTRYPOINT" --init --single-child --grace 1s -- sh -c \
    "sh -c 'echo \$\$ >\"$WORK/member.pid\"; trap \"echo got >\\\"$WORK/member-got\\\"\" USR1; while :; do sleep 0.05; done' >/dev/null 2>&1 &
     trap 'exit 9' USR1; touch '$WORK/ready'; while :; do sleep 0.05; done" &
  pid=$!
  wait_file ready
  wait_file member.pid
  on_exit "kill -KILL $(cat member.pid)"
  kill -USR1 "$pid"
  wait "$pid"
  got=$?
  [ "$got" = 9 ] || fail "exit $got, want 9"
  [ ! -e member-got ] || fail "--single-child forwarded to the group too"
}

test_rewrite_term_to_quit() {
  rm -f ready got
  "$ENTRYPOINT" --init --rewrite TERM:QUIT -- sh -c \
    "trap 'echo QUIT >\"$WORK/got\"; exit 0' QUIT; trap 'echo TERM >\"$WORK/got\"; exit 0' TERM; touch '$WORK/ready'; while :; do sleep 0.05; done" &
  pid=$!
  wait_file ready
  kill -TERM "$pid"
  wait "$pid"
  expect_eq QUIT "$(cat got)" "signal the app saw"
}

test_remap_exit_143_to_0() {
  rm -f ready
  "$ENTRYPOINT" --init --remap-exit 143:0 -- sh -c "touch '$WORK/ready'; exec sleep 100" &
  pid=$!
  wait_file ready
  kill -TERM "$pid"
  wait "$pid"
  got=$?
  [ "$got" = 0 ] || fail "exit $got, want 143 remapped to 0"
}

test_ctrl_c_through_a_pty_gives_130() {
  command -v script >/dev/null || skip "script (util-linux) missing"
  run_capture timeout 10 script -qec "$ENTRYPOINT --init -- sleep 100" /dev/null < <(sleep 1; printf '\003'; sleep 2)
  expect_rc 130
}

test_supervisor_drops_to_the_user_too_and_keeps_no_fds() {
  require_root
  exec 7>"$WORK/inherited"
  rm -f ready
  "$ENTRYPOINT" --init --user nobody -- sh -c "touch /tmp/ready-$$; exec sleep 100" &
  pid=$!
  exec 7>&-
  for _ in $(seq 250); do [ -e "/tmp/ready-$$" ] && break; sleep 0.02; done
  rm -f "/tmp/ready-$$"
  uid=$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")
  caps=$(awk '/^CapEff:/ {print $2}' "/proc/$pid/status")
  fds=$(ls "/proc/$pid/fd" | sort -n | tr '\n' ' ')
  cwd=$(readlink "/proc/$pid/cwd")
  kill -TERM "$pid"
  wait "$pid"
  expect_eq 65534 "$uid" "supervisor uid"
  expect_eq 0000000000000000 "$caps" "supervisor CapEff"
  expect_eq "0 1 2 " "$fds" "supervisor fds"
  expect_eq / "$cwd" "supervisor cwd"
}

require_root() { [ "$(id -u)" = 0 ] || skip "needs root"; }

# --- waiting for dependencies ----------------------------------------------------------------

test_wait_for_a_server_that_comes_up_after_3s() {
  port=$(( 20000 + RANDOM % 30000 ))
  mkdir -p www && echo ok >www/index.html
  (sleep 3; exec busybox httpd -f -p "127.0.0.1:$port" -h "$WORK/www") &
  on_exit "kill $!; pkill -f 'httpd -f -p 127.0.0.1:$port'"
  start=$(date +%s%N)
  run_capture "$ENTRYPOINT" --wait "http://127.0.0.1:$port/" --wait "tcp://127.0.0.1:$port" --wait-timeout 20s \
    --wait-interval 250ms -- echo started
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  expect_rc 0
  expect_out "started"
  expect_out "waiting for http://127.0.0.1:$port/: connect refused"
  [ "$ms" -ge 2900 ] && [ "$ms" -le 8000 ] || fail "took ${ms}ms for a server up after 3s"
}

test_wait_for_a_server_that_never_comes_up_exits_69_naming_it() {
  run_capture "$ENTRYPOINT" --wait tcp://127.0.0.1:1 --wait-timeout 1500ms -- touch "$WORK/ran"
  expect_rc 69
  expect_out "never came up: tcp://127.0.0.1:1 (connect refused)"
  [ ! -e ran ] || fail "the command ran"
}

test_wait_for_https_runs_healthcheck_beside_entrypoint() {
  openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 2 -subj /CN=localhost \
    -addext "subjectAltName=DNS:localhost" >/dev/null 2>&1 || skip "openssl cannot make a certificate"
  port=$(( 20000 + RANDOM % 30000 ))
  (sleep 1; exec openssl s_server -accept "127.0.0.1:$port" -cert cert.pem -key key.pem -www -quiet) >/dev/null 2>&1 &
  on_exit "kill $!; pkill -f 's_server -accept 127.0.0.1:$port'"
  run_capture env HEALTHCHECK_CACERT="$WORK/cert.pem" "$ENTRYPOINT" --wait "https://localhost:$port/" \
    --wait-timeout 15s --wait-interval 200ms -- echo started
  expect_rc 0
  expect_out "started"
  # Without trust in the certificate the wait never succeeds, and says why.
  run_capture "$ENTRYPOINT" --wait "https://localhost:$port/" --wait-timeout 1s -- echo started
  expect_rc 69
  expect_out "certificate verify failed"
}

test_wait_for_https_without_healthcheck_and_bad_urls_are_refused_before_anything_runs() {
  mkdir -p alone && cp "$ENTRYPOINT" alone/entrypoint
  run_capture env PATH=/usr/bin:/bin "$WORK/alone/entrypoint" --wait https://127.0.0.1:1/ -- touch "$WORK/ran"
  expect_rc 64
  expect_out "https waits run the healthcheck binary, and there is none"
  run_capture "$ENTRYPOINT" --wait nonsense -- touch "$WORK/ran"
  expect_rc 64
  run_capture "$ENTRYPOINT" --wait file:///etc/passwd -- touch "$WORK/ran"
  expect_rc 64
  [ ! -e ran ] || fail "the command ran"
}

test_fault_signals_sent_with_kill_are_forwarded_not_fatal_to_the_supervisor() {
  for sig in SEGV ILL TRAP BUS FPE SYS; do
    rm -f ready got
    "$ENTRYPOINT" --init -- sh -c \
      "trap 'echo $sig >\"$WORK/got\"; exit 7' $sig; touch '$WORK/ready'; while :; do sleep 0.05; done" &
    pid=$!
    wait_file ready
    kill -"$sig" "$pid"
    wait "$pid"
    got=$?
    [ "$got" = 7 ] || fail "SIG$sig: exit $got, want the app's own 7 (the supervisor died?)"
    expect_eq "$sig" "$(cat got)" "signal the app saw"
  done
  # An app that does not catch it dies of it, and the exit code says so.
  rm -f ready
  "$ENTRYPOINT" --init -- sh -c "touch '$WORK/ready'; exec sleep 100" &
  pid=$!
  wait_file ready
  wait_until 20 sh -c "pgrep -x sleep -P $pid"
  kill -SEGV "$pid"
  wait "$pid"
  expect_eq 139 "$?" "exit after SIGSEGV"
}

test_ctrl_z_stops_the_command_then_the_supervisor_and_cont_resumes_both() {
  rm -f ready
  "$ENTRYPOINT" --init -- sh -c "touch '$WORK/ready'; exec sleep 100" &
  pid=$!
  on_exit "kill -KILL $pid"
  wait_file ready
  wait_until 20 sh -c "pgrep -x sleep -P $pid"
  child=$(pgrep -x sleep -P "$pid")
  kill -TSTP "$pid"
  wait_until 20 sh -c "[ \"\$(awk '/^State:/ { print \$2 }' /proc/$child/status)\" = T ]"
  wait_until 20 sh -c "[ \"\$(awk '/^State:/ { print \$2 }' /proc/$pid/status)\" = T ]"
  kill -CONT "$pid"
  wait_until 20 sh -c "[ \"\$(awk '/^State:/ { print \$2 }' /proc/$pid/status)\" != T ]"
  wait_until 20 sh -c "[ \"\$(awk '/^State:/ { print \$2 }' /proc/$child/status)\" != T ]"
  kill -TERM "$pid"
  wait "$pid"
  expect_eq 143 "$?" "exit after SIGTERM"
}

test_single_child_leaves_the_rest_of_the_group_alone_when_the_command_exits() {
  run_capture "$ENTRYPOINT" --init --single-child --grace 100ms -- sh -c "sleep 100 >/dev/null 2>&1 & echo \$! >'$WORK/bg'; exit 0"
  expect_rc 0
  bg=$(cat bg)
  on_exit "kill $bg"
  kill -0 "$bg" 2>/dev/null || fail "the background sleep was killed in --single-child mode"
  # The default group mode still ends leftovers after the grace.
  run_capture "$ENTRYPOINT" --init --grace 100ms -- sh -c "sleep 100 >/dev/null 2>&1 & echo \$! >'$WORK/bg2'; exit 0"
  expect_rc 0
  bg2=$(cat bg2)
  wait_until 20 sh -c "! kill -0 $bg2"
}

test_direct_exec_starts_the_command_with_no_signal_ignored() {
  run_capture bash -c "trap '' INT QUIT PIPE; exec '$ENTRYPOINT' -- grep '^SigIgn' /proc/self/status"
  expect_rc 0
  expect_out "SigIgn:	0000000000000000"
  run_capture bash -c "trap '' INT QUIT PIPE; exec '$ENTRYPOINT' --init -- grep '^SigIgn' /proc/self/status"
  expect_rc 0
  expect_out "SigIgn:	0000000000000000"
}

test_debug_log_traces_spawn_every_forwarded_signal_and_the_exit() {
  rm -f ready
  "$ENTRYPOINT" --init --log-level debug -- sh -c \
    "trap 'exit 5' TERM; trap ':' USR1; touch '$WORK/ready'; while :; do sleep 0.05; done" 2>trace.log &
  pid=$!
  wait_file ready
  kill -USR1 "$pid"
  wait_until 20 grep -q "SIGUSR1 received: forwarded as SIGUSR1" trace.log
  kill -TERM "$pid"
  wait "$pid"
  expect_eq 5 "$?" "exit code"
  grep -q "supervising the command as pid" trace.log || fail "no spawn line: $(cat trace.log)"
  grep -q "the command (pid [0-9]*) ended: exit 5" trace.log || fail "no exit line: $(cat trace.log)"
}

test_stop_delay_holds_sigterm_then_forwards_and_a_second_sigterm_goes_at_once() {
  rm -f ready got
  "$ENTRYPOINT" --init --stop-delay 2s -- sh -c \
    "trap 'date +%s%N >\"$WORK/got\"; exit 0' TERM; touch '$WORK/ready'; while :; do sleep 0.05; done" 2>delay.log &
  pid=$!
  wait_file ready
  sent=$(date +%s%N)
  kill -TERM "$pid"
  wait "$pid"
  expect_eq 0 "$?" "exit code"
  held=$(( ($(cat got) - sent) / 1000000 ))
  # Never early, whatever the load (lateness is not asserted: a busy machine may add to it).
  [ "$held" -ge 1900 ] || fail "SIGTERM reached the app after ${held}ms, before the 2s delay"
  grep -q "SIGTERM received: forwarding it in 2000ms (--stop-delay" delay.log || fail "no log line: $(cat delay.log)"
  # A second SIGTERM does not wait out a long delay.
  rm -f ready got
  "$ENTRYPOINT" --init --stop-delay 20s -- sh -c \
    "trap 'touch \"$WORK/got\"; exit 0' TERM; touch '$WORK/ready'; while :; do sleep 0.05; done" 2>second.log &
  pid=$!
  on_exit "kill -KILL $pid"
  wait_file ready
  kill -TERM "$pid"
  # Two SIGTERMs pending at once are one: send the second after the first was taken.
  wait_until 20 grep -q "forwarding it in 20000ms" second.log
  [ ! -e got ] || fail "the first SIGTERM was not held"
  kill -TERM "$pid"
  wait_until 10 test -e got
  wait "$pid"
  expect_eq 0 "$?" "exit code after the second SIGTERM"
  run_capture "$ENTRYPOINT" --stop-delay 25s -- true
  expect_rc 64
  expect_out "at most 20s"
}
