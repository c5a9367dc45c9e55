# it.deployments.*: Ballast inside someone else's container: the app's own environment, a
# rolling update, and the habits of the tools it replaces. Each case first reproduces what
# used to break.

write_migration() { mkdir -p "${3:-migrations}" && printf '%s\n' "$2" >"${3:-migrations}/$1"; }

# clean_env VAR=VALUE... CMD...: runs CMD with only PATH and the given variables.
clean_env() { env -i PATH="$PATH" "$@"; }

# --- the app's LOG_LEVEL and LOG_FORMAT -----------------------------------------------------

test_app_log_levels_never_stop_the_container() {
  local v
  for v in INFO DEBUG WARN warning verbose notice err CRITICAL silent; do
    run_capture clean_env LOG_LEVEL=$v "$ENTRYPOINT" -- true
    [ "$rc" = 0 ] || fail "LOG_LEVEL=$v: entrypoint exited $rc: $out"
  done
  run_capture clean_env LOG_FORMAT=logfmt "$ENTRYPOINT" -- true
  expect_rc 0
  # A value no logging stack uses: one warning, the default level, the command still runs.
  run_capture clean_env LOG_LEVEL=chatty "$ENTRYPOINT" -- echo ran
  expect_rc 0
  expect_out "warning: LOG_LEVEL='chatty' is not a value Ballast knows: using its default"
  expect_out "ran"
  run_capture clean_env LOG_FORMAT=xml "$ENTRYPOINT" -- true
  expect_rc 0
  expect_out "LOG_FORMAT='xml'"
}

test_app_log_level_debug_keeps_the_probe_healthy() {
  start_app
  run_capture clean_env LOG_LEVEL=DEBUG "$HEALTHCHECK" "http://127.0.0.1:$port/api/health"
  expect_rc 0
  run_capture clean_env LOG_LEVEL=loud LOG_FORMAT=pretty "$HEALTHCHECK" "http://127.0.0.1:$port/api/health"
  expect_rc 0
  expect_out "healthy: GET"
}

test_ballast_own_log_names_are_strict_and_win() {
  run_capture clean_env BALLAST_LOG_LEVEL=chatty "$ENTRYPOINT" -- true
  expect_rc 78
  expect_out "invalid BALLAST_LOG_LEVEL 'chatty'"
  run_capture clean_env "$ENTRYPOINT" --log-level chatty -- true
  expect_rc 64
  # BALLAST_LOG_LEVEL=error silences the info line the app's LOG_LEVEL=debug would allow.
  run_capture clean_env LOG_LEVEL=debug BALLAST_LOG_LEVEL=error "$MIGRATE" new x
  expect_rc 0
  expect_no_out "info:"
  run_capture clean_env BALLAST_LOG_FORMAT=json LOG_FORMAT=text "$MIGRATE" status -d sqlite:none.db
  expect_rc 69
  expect_out '"level":"fatal"'
}

# --- the app's mode variables -----------------------------------------------------------------

test_framework_mode_values_are_understood() {
  run_capture clean_env APP_ENV=local "$ENTRYPOINT" -- true
  expect_rc 0
  run_capture clean_env NODE_ENV=ci "$ENTRYPOINT" -- true
  expect_rc 0
  # RAILS_ENV=production is read: root without --user is refused in prod.
  run_capture clean_env RAILS_ENV=production "$ENTRYPOINT" -- true
  expect_rc 78
  expect_out "mode from RAILS_ENV"
  run_capture clean_env RACK_ENV=production "$ENTRYPOINT" -- true
  expect_rc 78
  run_capture clean_env APP_ENV=uat "$MIGRATE" new staging_ok
  expect_rc 0
}

test_unknown_mode_value_warns_and_takes_prod_rules_without_exiting() {
  run_capture clean_env APP_ENV=blue "$ENTRYPOINT" --allow-root -- echo ran
  expect_rc 0
  expect_out "APP_ENV='blue' is not a mode Ballast knows"
  expect_out "applying prod rules"
  expect_out "ran"
  # The prod rules apply: migrate new is refused as in prod.
  run_capture clean_env MODE=blue "$MIGRATE" new x
  expect_rc 78
  # BALLAST_MODE says which it is, above everything the app sets.
  run_capture clean_env MODE=blue BALLAST_MODE=dev "$MIGRATE" new x
  expect_rc 0
  run_capture clean_env BALLAST_MODE=blue "$MIGRATE" new x
  expect_rc 78
  expect_out "invalid BALLAST_MODE='blue'"
}

# --- rolling updates ----------------------------------------------------------------------------

# Two images' migration folders: old has 1-2, new has 1-3.
two_releases() {
  write_migration 0001_a.sql "CREATE TABLE a (id INTEGER);" old
  write_migration 0002_b.sql "CREATE TABLE b (id INTEGER);" old
  mkdir -p new && cp old/*.sql new/
  write_migration 0003_c.sql "CREATE TABLE c (id INTEGER);" new
}

test_readiness_of_the_old_image_survives_the_new_release() {
  two_releases
  "$MIGRATE" apply --dir old -d sqlite:app.db >/dev/null 2>&1 || fail "old apply"
  run_capture "$MIGRATE" status --exit-code --dir old -d sqlite:app.db
  expect_rc 0
  # The new release's job applies 0003; the old pods still serve and must stay ready.
  "$MIGRATE" apply --dir new -d sqlite:app.db >/dev/null 2>&1 || fail "new apply"
  run_capture "$MIGRATE" status --exit-code --dir old -d sqlite:app.db
  expect_rc 0
  expect_out "ahead"
  expect_out "applied by a newer release"
  run_capture "$MIGRATE" status --json --dir old -d sqlite:app.db
  expect_out '"version":"3","name":"c","state":"ahead"'
  # An old pod restarted mid-rollout runs its own apply: nothing to do, nothing refused.
  run_capture env MODE=prod "$MIGRATE" apply --dir old -d sqlite:app.db
  expect_out "0 migrations applied"
}

test_readiness_fails_on_this_image_own_pending_changed_or_refused_files() {
  two_releases
  "$MIGRATE" apply --dir old -d sqlite:app.db >/dev/null 2>&1 || fail "old apply"
  run_capture "$MIGRATE" status --exit-code --dir new -d sqlite:app.db
  expect_rc 1
  expect_out "pending"
  "$MIGRATE" apply --dir new -d sqlite:app.db >/dev/null 2>&1 || fail "new apply"
  printf -- '-- edited\n' >>new/0002_b.sql
  run_capture "$MIGRATE" status --exit-code --dir new -d sqlite:app.db
  expect_rc 1
  expect_out "changed"
}

test_migrate_wait_blocks_until_the_release_job_applied() {
  two_releases
  "$MIGRATE" apply --dir old -d sqlite:app.db >/dev/null 2>&1 || fail "old apply"
  "$MIGRATE" wait --dir new -d sqlite:app.db --timeout 30s >wait.out 2>&1 &
  local waiter=$!
  on_exit "kill $waiter"
  # The waiter is still waiting while 0003 is pending.
  wait_until 10 grep -q "waiting for migrations: 1 pending (0003_c.sql)" wait.out
  kill -0 "$waiter" 2>/dev/null || fail "wait returned while 0003 was pending: $(cat wait.out)"
  "$MIGRATE" apply --dir new -d sqlite:app.db >/dev/null 2>&1 || fail "new apply"
  wait "$waiter"
  expect_eq 0 $? "migrate wait exit code"
  grep -q "every migration of this image is applied" wait.out || fail "$(cat wait.out)"
}

test_migrate_wait_gives_up_with_75_pending_and_69_unreachable() {
  two_releases
  "$MIGRATE" apply --dir old -d sqlite:app.db >/dev/null 2>&1 || fail "old apply"
  run_capture "$MIGRATE" wait --dir new -d sqlite:app.db --timeout 1s
  expect_rc 75
  expect_out "still 1 pending (0003_c.sql)"
  run_capture "$MIGRATE" wait --dir new -d sqlite:never.db --timeout 1s
  expect_rc 69
  expect_out "the database never answered"
  [ ! -e never.db ] || fail "wait created the database"
  run_capture "$MIGRATE" wait --dir old -d sqlite:app.db --timeout 1s
  expect_rc 0
}

# --- migrate's smaller traps ----------------------------------------------------------------

test_status_and_plan_on_a_missing_sqlite_file_say_so() {
  write_migration 0001_a.sql "CREATE TABLE a (id INTEGER);"
  run_capture "$MIGRATE" status -d sqlite:./typo/q.db
  expect_rc 69
  expect_out "sqlite:./typo/q.db does not exist"
  expect_no_out "pending"
  run_capture "$MIGRATE" plan -d sqlite:./typo/q.db
  expect_rc 69
  [ ! -e typo ] || fail "a folder was created"
}

test_plan_and_verify_json_report_file_line_rule() {
  write_migration 0001_a.sql "CREATE TABLE a (id INTEGER);"
  write_migration 0002_b.sql "CREATE TABLE b (id INTEGER);
INSERT INTO nope VALUES (1);"
  write_migration x_bad.sql "SELECT 1;"
  # Review is in use (a reviewed.sum exists): a file missing from it is an error of its own.
  (cd migrations && sha256sum 0002_b.sql >reviewed.sum)
  run_capture "$MIGRATE" verify --json
  expect_rc 65
  printf '%s\n' "$out" | grep '^{' >verify.json || fail "no JSON line: $out"
  expect_eq 2 "$(jq '.migrations' verify.json)" "migrations counted"
  expect_eq '"syntax"' "$(jq '.problems[] | select(.file=="0002_b.sql" and .rule=="syntax") | .rule' verify.json)" "syntax rule"
  expect_eq 2 "$(jq '.problems[] | select(.rule=="syntax") | .line' verify.json)" "syntax line"
  expect_eq '"file-name"' "$(jq '.problems[] | select(.file=="migrations/x_bad.sql") | .rule' verify.json)" "name rule"
  expect_eq '"not-reviewed"' "$(jq -c '[.problems[] | select(.file=="0001_a.sql") | .rule][0]' verify.json)" "review rule"
  rm migrations/x_bad.sql
  : >app.db
  run_capture env MODE=prod "$MIGRATE" plan --json -d sqlite:app.db
  expect_rc 65
  printf '%s\n' "$out" | grep '^{' >plan.json || fail "no JSON line: $out"
  expect_eq false "$(jq '.would_apply' plan.json)" "would_apply"
  expect_eq 2 "$(jq '.pending | length' plan.json)" "pending"
  expect_eq '"error"' "$(jq '.problems[0].severity' plan.json)" "severity"
}

test_review_says_added_updated_unchanged_and_guards_applied_files() {
  write_migration 0001_a.sql "CREATE TABLE a (id INTEGER);"
  write_migration 0002_b.sql "CREATE TABLE b (id INTEGER);"
  run_capture "$MIGRATE" review --all
  expect_rc 0
  expect_out "added     0001_a.sql"
  expect_out "added     0002_b.sql"
  "$MIGRATE" apply -d sqlite:app.db >/dev/null 2>&1 || fail "apply"
  write_migration 0003_c.sql "CREATE TABLE c (id INTEGER);"
  run_capture "$MIGRATE" review --all -d sqlite:app.db
  expect_rc 0
  expect_out "unchanged 0001_a.sql"
  expect_out "added     0003_c.sql"
  # An applied file edited afterwards: re-blessing it would hide that its text never ran.
  printf -- '-- tweak\n' >>migrations/0001_a.sql
  local before
  before=$(cat migrations/reviewed.sum)
  run_capture "$MIGRATE" review --all -d sqlite:app.db
  expect_rc 65
  expect_out "0001_a.sql: changed after it was applied"
  expect_eq "$before" "$(cat migrations/reviewed.sum)" "ledger untouched"
  # Unapplied and changed since review: re-recorded as "updated".
  printf -- '-- tweak\n' >>migrations/0003_c.sql
  run_capture "$MIGRATE" review migrations/0003_c.sql -d sqlite:app.db
  expect_rc 0
  expect_out "updated   0003_c.sql"
  run_capture "$MIGRATE" review --all --force -d sqlite:app.db
  expect_rc 0
  expect_out "updated   0001_a.sql"
}

test_new_creates_the_folder_and_makes_a_slug() {
  run_capture "$MIGRATE" new "add email"
  expect_rc 0
  expect_out "migrations/0001_add_email.sql"
  [ -f migrations/0001_add_email.sql ] || fail "no file"
  run_capture "$MIGRATE" --dir db/migrate new Add Index On Users
  expect_rc 0
  [ -f db/migrate/0001_add_index_on_users.sql ] || fail "no file in db/migrate"
}

# --- anchors' habits ----------------------------------------------------------------------------

test_golang_migrate_and_dbmate_words_work() {
  write_migration 0001_a.sql "CREATE TABLE a (id INTEGER);" db/migrations
  run_capture "$MIGRATE" -path db/migrations -database sqlite3://app.db up --dry-run
  expect_rc 69  # plan of a database that does not exist yet
  run_capture "$MIGRATE" -path db/migrations -database sqlite3://app.db up
  expect_rc 0
  expect_out "1 migration applied"
  run_capture "$MIGRATE" -source file://db/migrations -database sqlite://app.db version
  expect_rc 0
  expect_eq 1 "$(printf '%s\n' "$out" | tail -n1)" "version"
  write_migration 0002_b.sql "CREATE TABLE b (id INTEGER);" db/migrations
  run_capture "$MIGRATE" --migrations-dir db/migrations --url "sqlite:app.db" migrate --dry-run
  expect_rc 0
  expect_out "would apply 0002_b.sql"
  run_capture "$MIGRATE" --migrations-dir db/migrations --url "sqlite:app.db" down
  expect_rc 64
  expect_out "does not roll back"
  run_capture "$MIGRATE" stauts
  expect_rc 64
  expect_out "did you mean 'status'?"
  run_capture "$MIGRATE" status --exti-code
  expect_rc 64
  expect_out "did you mean --exit-code?"
}

test_unsupported_engines_are_named_plainly() {
  write_migration 0001_a.sql "SELECT 1;"
  run_capture "$MIGRATE" status -d "mysql://root:hunter2@db/app"
  expect_rc 64
  expect_out "MySQL is not supported: Ballast migrates PostgreSQL and SQLite"
  expect_no_out "hunter2"
  run_capture "$MIGRATE" status -d "sqlserver://sa:x@db"
  expect_rc 64
  expect_out "SQL Server is not supported"
}

test_healthcheck_accepts_curl_and_wget_habits() {
  start_app
  local url="http://127.0.0.1:$port/api/health"
  local args
  for args in "-fsS" "-f -s -S" "-m 2" "-m2" "--max-time 2" "-X HEAD" "-I" "--head" \
    "--timeout 1.5s" "--timeout 1.5" "-t 5" "--spider" "-fsS -o /dev/null" "-qO-"; do
    # shellcheck disable=SC2086
    run_capture "$HEALTHCHECK" $args "$url"
    [ "$rc" = 0 ] || fail "healthcheck $args: exit $rc: $out"
  done
  run_capture "$HEALTHCHECK" -I "$url"
  expect_out "healthy: HEAD"
  run_capture "$HEALTHCHECK" "127.0.0.1:$port/api/health"
  expect_rc 0
  expect_out "healthy: GET http://127.0.0.1:$port/api/health"
  run_capture "$HEALTHCHECK" -fsSL "$url"
  expect_rc 1
  expect_out "never follows redirects"
  run_capture "$HEALTHCHECK" --json -X HEAD "$url"
  expect_rc 0
  expect_eq '"HEAD"' "$(printf '%s' "$out" | jq '.targets[0].method')" "method"
  expect_eq "\"$url\"" "$(printf '%s' "$out" | jq '.targets[0].url')" "url"
  expect_eq 200 "$(printf '%s' "$out" | jq '.targets[0].status')" "status"
}

test_healthcheck_refuses_a_target_that_would_split_the_request() {
  start_app
  run_capture "$HEALTHCHECK" "$(printf 'http://127.0.0.1:%s/x\r\nX-Injected: 1' "$port")"
  expect_rc 1
  expect_out "control character"
  # A CRLF env file leaves a trailing CR: it is not sent.
  run_capture env HEALTHCHECK_URL="$(printf 'http://127.0.0.1:%s/api/health\r' "$port")" "$HEALTHCHECK"
  expect_rc 0
}

test_entrypoint_maps_tini_and_dumb_init_flags() {
  run_capture "$ENTRYPOINT" -g -- true
  expect_rc 0
  run_capture "$ENTRYPOINT" -s -- sh -c 'exit 3'
  expect_rc 3
  run_capture "$ENTRYPOINT" -s -e 3 -- sh -c 'exit 3'
  expect_rc 0
  run_capture "$ENTRYPOINT" -c -- true
  expect_rc 0
  run_capture "$ENTRYPOINT" -c -g -- true
  expect_rc 64
  run_capture "$ENTRYPOINT" -r 15:3 -s -- true
  expect_rc 0
  run_capture "$ENTRYPOINT" -p SIGTERM -- true
  expect_rc 64
  expect_out "no equivalent"
  run_capture "$ENTRYPOINT" --usr app -- true
  expect_rc 64
  expect_out "did you mean --user?"
}

test_entrypoint_wait_reads_host_port_as_tcp() {
  local p
  start_server p socat "TCP-LISTEN:{port},bind=127.0.0.1,fork,reuseaddr" /dev/null
  run_capture "$ENTRYPOINT" --wait "127.0.0.1:$p" --wait-timeout 5s -- echo up
  expect_rc 0
  expect_out "up"
}

# --- the policy reads the database URL as libpq does --------------------------------------------

db_policy() {
  printf '{"rules":[{"kind":"database_url","vars":"DATABASE_URL","require_ssl":%s}]}\n' "${1:-false}" >policy.json
}

test_policy_sees_weak_credentials_in_every_spelling() {
  db_policy
  local url
  for url in "host=db user=postgres password=postgres dbname=app" \
    "host=db user=postgres password='postgres' dbname=app" \
    "postgres://app:pass%77ord@db/app" \
    "postgres://app@db/app?password=postgres" \
    "postgresql://root:root@db:5432/app" \
    "jdbc:postgresql://db/app?user=test&password=test"; do
    run_capture clean_env MODE=prod DATABASE_URL="$url" "$ENTRYPOINT" --allow-root --policy policy.json -- echo started
    [ "$rc" = 78 ] || fail "DATABASE_URL=$url: expected 78, got $rc: $out"
    case "$out" in *started*) fail "started with DATABASE_URL=$url" ;; esac
    case "$out" in *"pass%77ord"* | *"password=postgres"* | *":root@"*) fail "password shown: $out" ;; esac
  done
  run_capture clean_env MODE=prod DATABASE_URL="postgres://app@db/app?password=postgres" \
    "$ENTRYPOINT" --allow-root --policy policy.json -- true
  expect_out "weak password"
  expect_no_out "no password"
  run_capture clean_env MODE=prod DATABASE_URL="postgres://app:Xk29fLq0pVz7wQ@db/app" \
    "$ENTRYPOINT" --allow-root --policy policy.json -- echo started
  expect_rc 0
  expect_out "started"
}

test_policy_require_ssl_wants_an_encrypted_connection() {
  db_policy true
  local strong="postgres://app:Xk29fLq0pVz7wQ@db/app"
  run_capture clean_env MODE=prod DATABASE_URL="$strong" "$ENTRYPOINT" --allow-root --policy policy.json -- true
  expect_rc 78
  expect_out "sslmode is not set"
  run_capture clean_env MODE=prod DATABASE_URL="$strong?sslmode=disable" "$ENTRYPOINT" --allow-root --policy policy.json -- true
  expect_rc 78
  run_capture clean_env MODE=prod DATABASE_URL="$strong?sslmode=verify-full" "$ENTRYPOINT" --allow-root --policy policy.json -- true
  expect_rc 0
  run_capture clean_env MODE=prod PGSSLMODE=require DATABASE_URL="$strong" "$ENTRYPOINT" --allow-root --policy policy.json -- true
  expect_rc 0
}

# --- structured output --------------------------------------------------------------------------

test_json_log_lines_carry_fields_beside_the_message() {
  write_migration 0001_a.sql "CREATE TABLE a (id INTEGER);"
  write_migration 0002_b.sql "CREATE TABLE b (id INTEGER);
INSERT INTO nope VALUES (1);"
  run_capture clean_env LOG_FORMAT=json "$MIGRATE" apply -d sqlite:app.db
  expect_rc 65
  local line
  line=$(printf '%s\n' "$out" | grep '"message":"applied 0001_a.sql') || fail "no applied line: $out"
  expect_eq '"0001_a.sql" 1 true' "$(printf '%s' "$line" | jq -r '[(.file|tojson), .version, (.duration_ms|type=="number")] | map(tostring) | join(" ")')" "applied fields"
  line=$(printf '%s\n' "$out" | grep '"level":"fatal"') || fail "no fatal line: $out"
  expect_eq '0002_b.sql 2 2' "$(printf '%s' "$line" | jq -r '[.file, .version, .line] | map(tostring) | join(" ")')" "failure fields"
  line=$(printf '%s\n' "$out" | grep '"rule":"not-reviewed"' | head -n1) || fail "no rule field: $out"
  expect_eq 0001_a.sql "$(printf '%s' "$line" | jq -r .file)" "warning file"
}
