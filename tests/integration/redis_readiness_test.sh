# it.redis_readiness.*: healthcheck redis:// and entrypoint --wait against a real redis-server
# in the states redis-cli tells apart (PONG, LOADING, BUSY, blocked, NOAUTH, WRONGPASS).

# start_redis [ARGS...]: a redis-server of the test's own on a free loopback port; sets
# $redis_port. Data goes to $WORK/redis.
start_redis() {
  command -v redis-server >/dev/null || skip "redis-server not installed; run scripts/bootstrap"
  mkdir -p "$WORK/redis"
  start_server redis_port redis-server --port "{port}" --bind 127.0.0.1 --dir "$WORK/redis" --save '' "$@"
}

test_pong_is_healthy_and_a_password_is_sent_with_auth_then_select() {
  start_redis --requirepass 's3cret pw'
  run_capture "$HEALTHCHECK" "redis://:s3cret%20pw@127.0.0.1:$redis_port/2"
  expect_rc 0
  expect_out "healthy: redis://127.0.0.1:$redis_port/2 PONG"
  expect_no_out "s3cret"
  # Redis 6 ACL users: AUTH USER PASSWORD.
  redis-cli -p "$redis_port" -a 's3cret pw' --no-auth-warning ACL SETUSER probe on '>probe-pw' '+ping' >/dev/null
  run_capture "$HEALTHCHECK" "redis://probe:probe-pw@127.0.0.1:$redis_port"
  expect_rc 0
  # No password where one is required, a wrong one, a database out of range: unhealthy, named.
  run_capture "$HEALTHCHECK" "redis://127.0.0.1:$redis_port"
  expect_rc 1
  expect_out "NOAUTH Authentication required"
  run_capture "$HEALTHCHECK" "redis://:wrong@127.0.0.1:$redis_port"
  expect_rc 1
  expect_out "WRONGPASS"
  expect_no_out "wrong@"
  run_capture "$HEALTHCHECK" "redis://:s3cret%20pw@127.0.0.1:$redis_port/99"
  expect_rc 1
  expect_out "ERR DB index is out of range"
  run_capture "$HEALTHCHECK" "redis://127.0.0.1:$redis_port/x"
  expect_rc 1
  expect_out "the path is a database number"
}

test_loading_dataset_is_unhealthy_until_loaded() {
  start_redis --enable-debug-command yes
  redis-cli -p "$redis_port" DEBUG POPULATE 20000 >/dev/null
  redis-cli -p "$redis_port" SAVE >/dev/null
  redis-cli -p "$redis_port" SHUTDOWN NOSAVE >/dev/null 2>&1
  # Every key waits 200us while loading, and the server answers between keys: LOADING for ~4s.
  start_redis --dbfilename dump.rdb --key-load-delay 200 --loading-process-events-interval-bytes 1024
  loading() { redis-cli -p "$redis_port" PING | grep -q LOADING; }
  wait_until 10 loading
  run_capture "$HEALTHCHECK" "redis://127.0.0.1:$redis_port"
  expect_rc 1
  expect_out "LOADING Redis is loading the dataset in memory"
  # entrypoint --wait waits for the load to finish.
  run_capture "$ENTRYPOINT" --wait "redis://127.0.0.1:$redis_port" --wait-timeout 60s -- true
  expect_rc 0
  [ "$(redis-cli -p "$redis_port" DBSIZE)" = 20000 ] || fail "the dataset did not load"
}

test_busy_script_and_blocked_server_are_unhealthy() {
  start_redis --enable-debug-command yes --busy-reply-threshold 100
  redis-cli -p "$redis_port" EVAL 'while true do end' 0 >/dev/null 2>&1 &
  busy() { redis-cli -p "$redis_port" PING | grep -q BUSY; }
  wait_until 10 busy
  run_capture "$HEALTHCHECK" "redis://127.0.0.1:$redis_port"
  expect_rc 1
  expect_out "BUSY Redis is busy running a script"
  redis-cli -p "$redis_port" SCRIPT KILL >/dev/null
  wait_until 10 "$HEALTHCHECK" -q "redis://127.0.0.1:$redis_port"
  # DEBUG SLEEP blocks the server outright: no reply within the deadline.
  redis-cli -p "$redis_port" DEBUG SLEEP 5 >/dev/null &
  on_exit "kill $!"
  asleep() { ! timeout 0.3 redis-cli -p "$redis_port" PING >/dev/null; }
  wait_until 10 asleep
  run_capture "$HEALTHCHECK" --timeout 500ms "redis://127.0.0.1:$redis_port"
  expect_rc 1
  expect_out "no answer within 500ms"
}

test_a_server_that_is_not_redis_is_named_so() {
  start_app
  run_capture "$HEALTHCHECK" "redis://127.0.0.1:$port"
  expect_rc 1
  expect_out "not a Redis server (it answered 'HTTP/1."
  # rediss:// without TLS in entrypoint goes through healthcheck, as https does.
  run_capture "$ENTRYPOINT" --wait "rediss://127.0.0.1:1" --wait-timeout 1s -- true
  expect_rc 69
}
