# it.entrypoint.*: real uid switches, real trees, real secrets (CI runs as root).

require_root() { [ "$(id -u)" = 0 ] || skip "needs root to switch users"; }

# status_of OUT FIELD: the value of FIELD in /proc/self/status text OUT, whitespace squeezed.
status_of() { printf '%s\n' "$1" | awk -v f="$2:" '$1 == f { $1 = ""; sub(/^ /, ""); print }'; }

# clean_env CMD...: runs CMD with nothing but PATH, as a container would start.
clean_env() { env -i PATH=/usr/local/bin:/usr/bin:/bin "$@"; }

test_drop_to_nobody_leaves_no_capability_and_sets_no_new_privs() {
  require_root
  run_capture clean_env "$ENTRYPOINT" --user nobody -- cat /proc/self/status
  expect_rc 0
  expect_eq "65534 65534 65534 65534" "$(status_of "$out" Uid | tr -s '\t' ' ')" "Uid"
  expect_eq "65534 65534 65534 65534" "$(status_of "$out" Gid | tr -s '\t' ' ')" "Gid"
  expect_eq "65534" "$(status_of "$out" Groups | xargs)" "Groups"
  for cap in CapInh CapPrm CapEff CapBnd CapAmb; do
    expect_eq "0000000000000000" "$(status_of "$out" $cap)" "$cap"
  done
  expect_eq "1" "$(status_of "$out" NoNewPrivs)" "NoNewPrivs"
}

test_numeric_uid_without_passwd_entry_gets_gid_equal_to_uid_never_root_group() {
  require_root
  run_capture clean_env "$ENTRYPOINT" --user 4242 -- cat /proc/self/status
  expect_rc 0
  expect_eq "4242 4242 4242 4242" "$(status_of "$out" Gid | tr -s '\t' ' ')" "Gid"
  expect_eq "4242" "$(status_of "$out" Groups | xargs)" "Groups"
}

test_explicit_group_is_the_only_group() {
  require_root
  run_capture clean_env "$ENTRYPOINT" --user 4242:4343 -- cat /proc/self/status
  expect_rc 0
  expect_eq "4343 4343 4343 4343" "$(status_of "$out" Gid | tr -s '\t' ' ')" "Gid"
  expect_eq "4343" "$(status_of "$out" Groups | xargs)" "Groups"
}

test_root_supplementary_groups_never_survive() {
  require_root
  # Start with extra groups, as a root shell in a container may have.
  run_capture clean_env setpriv --groups 4,24,27 "$ENTRYPOINT" --user 4242 -- cat /proc/self/status
  expect_rc 0
  expect_eq "4242" "$(status_of "$out" Groups | xargs)" "Groups"
}

test_home_user_logname_come_from_passwd_rest_of_environment_kept() {
  require_root
  run_capture clean_env KEEP_ME=yes HOME=/root "$ENTRYPOINT" --user daemon -- env
  expect_rc 0
  expect_out "HOME=$(getent passwd daemon | cut -d: -f6)"
  expect_out "USER=daemon"
  expect_out "LOGNAME=daemon"
  expect_out "KEEP_ME=yes"
}

test_keep_cap_net_bind_service_lets_a_non_root_app_bind_a_low_port() {
  require_root
  port=$(( 900 + RANDOM % 100 ))
  run_capture clean_env "$ENTRYPOINT" --user 4242 --keep-cap net_bind_service -- cat /proc/self/status
  expect_rc 0
  expect_eq "0000000000000400" "$(status_of "$out" CapAmb)" "CapAmb"
  expect_eq "0000000000000400" "$(status_of "$out" CapBnd)" "CapBnd"
  mkdir -p www
  # exec, so that $! is the server itself and on_exit's kill reaches it.
  (exec env -i PATH=/usr/bin:/bin "$ENTRYPOINT" --user 4242 --keep-cap NET_BIND_SERVICE -- busybox httpd -f -p "127.0.0.1:$port" -h "$WORK/www") &
  pid=$!
  on_exit "kill $pid"
  run_capture "$HEALTHCHECK" --timeout 2s "tcp://127.0.0.1:$port"
  for _ in $(seq 50); do [ "$rc" = 0 ] && break; sleep 0.05; run_capture "$HEALTHCHECK" "tcp://127.0.0.1:$port"; done
  expect_rc 0
  # Without the capability the same bind fails.
  run_capture clean_env timeout 5 "$ENTRYPOINT" --user 4242 -- busybox httpd -f -p "127.0.0.1:$((port + 1))" -h "$WORK/www"
  [ "$rc" != 0 ] || fail "bound a low port without the capability"
}

test_allow_new_privs_leaves_no_new_privs_off() {
  require_root
  run_capture clean_env "$ENTRYPOINT" --user nobody --allow-new-privs -- cat /proc/self/status
  expect_rc 0
  expect_eq "0" "$(status_of "$out" NoNewPrivs)" "NoNewPrivs"
}

test_bad_user_specs_exit_nonzero_and_run_nothing() {
  require_root
  for spec in 0day 1000x nobody:nogroup-xyz "" "a:b:c" ":5"; do
    run_capture clean_env "$ENTRYPOINT" --user "$spec" -- touch "$WORK/ran"
    case "$rc" in 64|78) ;; *) fail "spec '$spec': expected exit 64 or 78, got $rc: $out" ;; esac
    [ ! -e "$WORK/ran" ] || fail "spec '$spec' ran the command"
  done
}

test_prod_refuses_root_without_user_and_allow_root_permits_it() {
  require_root
  run_capture clean_env MODE=prod "$ENTRYPOINT" -- touch "$WORK/ran"
  expect_rc 78
  expect_out "refusing to run touch as root in prod"
  [ ! -e "$WORK/ran" ] || fail "ran as root in prod"
  run_capture clean_env MODE=prod "$ENTRYPOINT" --allow-root -- id -u
  expect_rc 0
  expect_out "0"
}

test_started_as_non_root_skips_drop_and_chown_with_one_info_line() {
  require_root
  mkdir -p data && touch data/f
  run_capture clean_env "$ENTRYPOINT" --user 4242 -- "$ENTRYPOINT" --user 1001 --chown "$WORK/data" -- id -u
  expect_rc 0
  expect_out "running as uid 4242 (not root): no privilege drop, no ownership changes"
  expect_out "4242"
  expect_eq "0" "$(stat -c %u data/f)" "owner of data/f"
  # no_new_privs all the same (setpriv starts it as non-root with no_new_privs still off).
  run_capture setpriv --reuid 4242 --regid 4242 --clear-groups "$ENTRYPOINT" -- grep NoNewPrivs /proc/self/status
  expect_rc 0
  expect_out "NoNewPrivs:	1"
  run_capture setpriv --reuid 4242 --regid 4242 --clear-groups "$ENTRYPOINT" --allow-new-privs -- grep NoNewPrivs /proc/self/status
  expect_out "NoNewPrivs:	0"
}

test_exec_failures_are_126_and_127_after_the_drop() {
  require_root
  run_capture clean_env "$ENTRYPOINT" --user nobody -- /no/such/thing
  expect_rc 127
  printf '#!/bin/sh\necho hi\n' >script && chmod 700 script  # root-only: nobody cannot run it
  run_capture clean_env "$ENTRYPOINT" --user nobody -- "$WORK/script"
  expect_rc 126
}

# --- ownership ------------------------------------------------------------------------------

test_chown_gives_the_tree_and_nothing_outside_it() {
  require_root
  mkdir -p outside data/sub
  echo secret >outside/shadow && chmod 600 outside/shadow
  touch data/a data/sub/b
  ln -s "$WORK/outside/shadow" data/link-to-shadow
  ln -s "$WORK/outside" data/link-to-dir
  ln outside/shadow data/hardlink-to-shadow
  mkfifo data/fifo
  p=data/deep; for _ in $(seq 200); do p=$p/d; done; mkdir -p "$p" && touch "$p/bottom"
  run_capture clean_env "$ENTRYPOINT" --user 4242:4343 --chown "$WORK/data" -- true
  expect_rc 0
  expect_out "hard links: not handed over"
  expect_out "chown $WORK/data to 4242:4343:"
  for f in data data/a data/sub data/sub/b data/fifo "$p" "$p/bottom"; do
    expect_eq "4242:4343" "$(stat -c %u:%g "$f")" "owner of $f"
  done
  expect_eq "4242:4343" "$(stat -c %u:%g data/link-to-shadow)" "owner of the symlink itself"
  expect_eq "0:0" "$(stat -c %u:%g outside/shadow)" "owner of outside/shadow"
  expect_eq "0:0" "$(stat -c %u:%g outside)" "owner of outside"
  expect_eq "0:0" "$(stat -c %u:%g data/hardlink-to-shadow)" "owner of the hard link"
}

test_chown_leaves_a_nested_mount_alone() {
  require_root
  mkdir -p data/mnt
  mount -t tmpfs tmpfs data/mnt 2>/dev/null || skip "cannot mount a tmpfs here"
  on_exit "umount '$WORK/data/mnt'"
  touch data/mnt/inside data/outside
  run_capture clean_env "$ENTRYPOINT" --user 4242 --chown "$WORK/data" -- true
  expect_rc 0
  expect_out "is another mount"
  expect_eq "4242" "$(stat -c %u data/outside)" "owner of data/outside"
  expect_eq "0" "$(stat -c %u data/mnt/inside)" "owner of data/mnt/inside"
  run_capture clean_env "$ENTRYPOINT" --user 4242 --chown "$WORK/data" --chown-cross-mounts -- true
  expect_eq "4242" "$(stat -c %u data/mnt/inside)" "owner with --chown-cross-mounts"
}

test_chown_creates_a_missing_path_0750_owned_by_the_user() {
  require_root
  run_capture clean_env ENTRYPOINT_CHOWN="$WORK/new/data:$WORK/other" "$ENTRYPOINT" --user 4242 -- true
  expect_rc 0
  expect_eq "4242:4242 750" "$(stat -c '%u:%g %a' new/data)" "new/data"
  expect_eq "0" "$(stat -c %u new)" "parent stays root's"
  expect_eq "4242" "$(stat -c %u other)" "second path from the colon list"
  run_capture clean_env "$ENTRYPOINT" --user 4242 --chown "$WORK/absent" --no-mkdir -- true
  expect_rc 0
  [ ! -e absent ] || fail "--no-mkdir created the path"
}

test_chown_on_a_read_only_mount_warns_once_and_starts() {
  require_root
  mkdir -p data && touch data/a data/b
  mount --bind data data 2>/dev/null && mount -o remount,bind,ro data 2>/dev/null || skip "cannot make a read-only bind mount here"
  on_exit "umount '$WORK/data'"
  run_capture clean_env "$ENTRYPOINT" --user 4242 --chown "$WORK/data" -- echo started
  expect_rc 0
  expect_out "started"
  expect_eq "1" "$(printf '%s\n' "$out" | grep -c 'Read-only file system')" "warnings about the read-only mount"
}

# --- secrets --------------------------------------------------------------------------------

test_file_secrets_are_read_as_root_and_given_to_the_dropped_user() {
  require_root
  printf 's3cr3t-value-from-file\n' >db_password && chmod 400 db_password
  run_capture clean_env DB_PASSWORD_FILE="$WORK/db_password" "$ENTRYPOINT" --user nobody -- sh -c 'echo "got=$DB_PASSWORD file=${DB_PASSWORD_FILE:-unset}"'
  expect_rc 0
  expect_out "got=s3cr3t-value-from-file file=unset"
  expect_out "loaded DB_PASSWORD from files"
}

test_file_secret_errors_refuse_the_start() {
  require_root
  echo x >s
  run_capture clean_env API_KEY=a API_KEY_FILE="$WORK/s" "$ENTRYPOINT" -- touch "$WORK/ran"
  expect_rc 78
  expect_out "both API_KEY and API_KEY_FILE are set"
  run_capture clean_env API_KEY_FILE="$WORK/missing" "$ENTRYPOINT" -- touch "$WORK/ran"
  expect_rc 78
  expect_out "API_KEY_FILE:"
  [ ! -e ran ] || fail "the command ran"
  run_capture clean_env API_KEY_FILE="$WORK/missing" "$ENTRYPOINT" --no-file-secrets -- sh -c 'echo "$API_KEY_FILE"'
  expect_rc 0
  expect_out "$WORK/missing"
}

# --- preflight ------------------------------------------------------------------------------

POLICY=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/docker/policy.example.json

test_preflight_passes_a_good_production_config() {
  run_capture clean_env MODE=prod DATABASE_URL="postgres://app:Xk29fLq0pVz7wQ@db/app" \
    JWT_SECRET="q7Zt9pL2vX4mN8rB1cK6yH3wD5sF0gJeR2" ORIGIN=https://app.example.com \
    "$ENTRYPOINT" --allow-root --policy "$POLICY" -- echo started
  expect_rc 0
  expect_out "started"
  expect_out "preflight ok: secret JWT_SECRET: q7****** (34 chars)"
  expect_no_out "q7Zt9pL2vX4mN8rB1cK6yH3wD5sF0gJeR2"
}

test_preflight_refuses_a_weak_production_config_listing_every_failure_masked() {
  run_capture clean_env MODE=prod DATABASE_URL="postgres://postgres:postgres@db/app" JWT_SECRET=changeme \
    CORS_ALLOW_ORIGINS='*' ORIGIN=http://app.example.com SHOW_API_KEY_ON_STARTUP=true \
    "$ENTRYPOINT" --allow-root --policy "$POLICY" -- touch "$WORK/ran"
  expect_rc 78
  expect_out "refusing to start in prod"
  for what in "database_url DATABASE_URL" "secret JWT_SECRET" "forbid CORS_ALLOW_ORIGINS" "https ORIGIN" "forbid SHOW_API_KEY_ON_STARTUP"; do
    expect_out "preflight fail: $what"
  done
  expect_no_out ":postgres@"
  [ ! -e ran ] || fail "started despite the failures"
}

test_preflight_outside_prod_warns_and_starts() {
  run_capture clean_env MODE=dev JWT_SECRET=changeme "$ENTRYPOINT" --policy "$POLICY" -- echo started
  expect_rc 0
  expect_out "preflight warn: secret JWT_SECRET"
  expect_out "started"
}

test_preflight_sees_secrets_loaded_from_files() {
  printf 'changeme\n' >jwt
  run_capture clean_env MODE=prod JWT_SECRET_FILE="$WORK/jwt" DATABASE_URL="postgres://app:Xk29fLq0pVz7wQ@db/app" \
    "$ENTRYPOINT" --allow-root --policy "$POLICY" -- true
  expect_rc 78
  expect_out "secret JWT_SECRET: ****** (8 chars): a known default value"
}
