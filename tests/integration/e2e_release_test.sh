# it.e2e_release.*: the release flow of docker/example in real containers, the way a team ships
# it: `migrate apply` as a one-shot container, then the app through entrypoint, its health
# through the image's HEALTHCHECK. The containers are made from docker/example's own files:
# the image from its Dockerfile (it.fixture.example.build), each container's command,
# environment, secrets and read-only settings from compose.yaml or k8s/*.yaml (read with yq),
# so what the README shows is what runs here. PostgreSQL is the fixture's, on the host's
# loopback; the containers use the host's network, so the app's port 8080 must be free.

EXAMPLE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../docker/example" && pwd)
APP_UID=1001

# in_yaml FILE EXPR: prints yq's raw output for EXPR on docker/example/FILE.
in_yaml() { yq -r "$2" "$EXAMPLE_DIR/$1"; }

# release_database: a role and a database of their own for this test, with a strong password
# (prod's preflight checks it; the fixture's trust authentication ignores it). Writes the
# secret files compose.yaml names (./secrets/...): database_url and jwt_secret, 0400 root.
release_database() {
  pg_env
  local role="app_$$_${RANDOM}"
  DB_PASSWORD=$(openssl rand -hex 16)
  psql -q -d postgres -c "CREATE ROLE $role LOGIN PASSWORD '$DB_PASSWORD'" -c "CREATE DATABASE $role OWNER $role" >/dev/null ||
    fail "could not create role and database $role"
  on_exit "psql -q -d postgres -c 'DROP DATABASE IF EXISTS $role' -c 'DROP ROLE IF EXISTS $role'"
  DB_URL="postgres://$role:$DB_PASSWORD@127.0.0.1:$PGPORT/$role?sslmode=disable"
  mkdir -p secrets
  printf '%s\n' "$DB_URL" >secrets/database_url
  openssl rand -base64 48 >secrets/jwt_secret
  chmod 0400 secrets/*
}

# compose_service SERVICE: sets RUN_ARGS (podman run options) and RUN_CMD (the command) from
# compose.yaml's SERVICE: environment, secrets (mounted at /run/secrets/NAME from the file the
# top-level secrets section names, like compose), read_only, tmpfs, healthcheck.disable. The
# network is the host's: the database is the fixture on the host's loopback.
compose_service() {
  local svc=$1 line
  RUN_ARGS=(--network host)
  RUN_CMD=()
  while IFS= read -r line; do [ -n "$line" ] && RUN_ARGS+=(-e "$line"); done \
    < <(in_yaml compose.yaml ".services.$svc.environment // {} | to_entries[] | \"\(.key)=\(.value)\"")
  while IFS= read -r line; do
    [ -n "$line" ] || continue
    RUN_ARGS+=(-v "$WORK/$(in_yaml compose.yaml ".secrets.\"$line\".file"):/run/secrets/$line:ro")
  done < <(in_yaml compose.yaml ".services.$svc.secrets // [] | .[]")
  [ "$(in_yaml compose.yaml ".services.$svc.read_only // false")" = true ] && RUN_ARGS+=(--read-only)
  while IFS= read -r line; do [ -n "$line" ] && RUN_ARGS+=(--tmpfs "$line"); done \
    < <(in_yaml compose.yaml ".services.$svc.tmpfs // [] | .[]")
  [ "$(in_yaml compose.yaml ".services.$svc.healthcheck.disable // false")" = true ] && RUN_ARGS+=(--no-healthcheck)
  mapfile -t RUN_CMD < <(in_yaml compose.yaml ".services.$svc.command // [] | .[]")
  [ "${#RUN_ARGS[@]}" -gt 3 ] || fail "compose.yaml: service $svc has no environment or secrets (did yq read it?)"
}

# k8s_container FILE PATH: sets RUN_ARGS and RUN_CMD from the container at PATH (a yq path such
# as .spec.template.spec.initContainers[0]) of k8s/FILE and its pod's securityContext: user
# and group, fsGroup as a supplementary group, readOnlyRootFilesystem, dropped capabilities,
# allowPrivilegeEscalation, env, emptyDir volumes as tmpfs. Secret volumes are mounted from
# ./k8s-secrets, the way the kubelet would lay them out (set up by the caller).
k8s_container() {
  local file=$1 path=$2 pod line
  pod=$(sed 's/\.\(initContainers\|containers\)\[[0-9]*\]$//' <<<"$path")
  RUN_ARGS=(--network host)
  local uid gid fs_group
  uid=$(in_yaml "k8s/$file" "$pod.securityContext.runAsUser // empty")
  gid=$(in_yaml "k8s/$file" "$pod.securityContext.runAsGroup // empty")
  fs_group=$(in_yaml "k8s/$file" "$pod.securityContext.fsGroup // empty")
  [ -n "$uid" ] && RUN_ARGS+=(--user "$uid${gid:+:$gid}")
  [ -n "$fs_group" ] && RUN_ARGS+=(--group-add "$fs_group")
  [ "$(in_yaml "k8s/$file" "$path.securityContext.readOnlyRootFilesystem // false")" = true ] && RUN_ARGS+=(--read-only)
  [ "$(in_yaml "k8s/$file" "$path.securityContext.allowPrivilegeEscalation | tostring")" = false ] &&
    RUN_ARGS+=(--security-opt no-new-privileges)
  while IFS= read -r line; do [ -n "$line" ] && RUN_ARGS+=(--cap-drop "$line"); done \
    < <(in_yaml "k8s/$file" "$path.securityContext.capabilities.drop // [] | .[]")
  while IFS= read -r line; do [ -n "$line" ] && RUN_ARGS+=(-e "$line"); done \
    < <(in_yaml "k8s/$file" "$path.env // [] | .[] | \"\(.name)=\(.value)\"")
  while IFS=' ' read -r name mount; do
    [ -n "$name" ] || continue
    case "$(in_yaml "k8s/$file" "$pod.volumes[] | select(.name == \"$name\") | keys | map(select(. != \"name\")) | .[0]")" in
      secret) RUN_ARGS+=(-v "$WORK/k8s-secrets:$mount:ro") ;;
      emptyDir) RUN_ARGS+=(--tmpfs "$mount") ;;
      persistentVolumeClaim) RUN_ARGS+=(-v "$WORK/data:$mount") ;;
      *) fail "k8s/$file: volume $name of an unexpected kind" ;;
    esac
  done < <(in_yaml "k8s/$file" "$path.volumeMounts // [] | .[] | \"\(.name) \(.mountPath)\"")
  mapfile -t RUN_CMD < <(in_yaml "k8s/$file" "$path.args // [] | .[]")
}

# k8s_probe PROBE: the exec command of the app container's PROBE in k8s/deployment.yaml.
k8s_probe() {
  mapfile -t PROBE_CMD < <(in_yaml k8s/deployment.yaml ".spec.template.spec.containers[0].$1.exec.command | .[]")
  [ "${#PROBE_CMD[@]}" -gt 0 ] || fail "k8s/deployment.yaml: no $1 exec command"
}

# health NAME: the container's health status as podman keeps it.
health() { bpodman inspect --format '{{.State.Health.Status}}' "$1"; }

# proc_status NAME PID: the identity and privilege lines of PID's /proc status in NAME.
proc_status() {
  bpodman exec "$1" grep -E '^(Uid|Gid|Groups|CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs):' "/proc/$2/status" |
    tr -s '\t ' ' '
}

# expect_unprivileged NAME PID: PID runs as the app user with no capability and no_new_privs.
expect_unprivileged() {
  local s
  s=$(proc_status "$1" "$2")
  for want in "Uid: $APP_UID $APP_UID $APP_UID $APP_UID" "Gid: $APP_UID $APP_UID $APP_UID $APP_UID" \
    "CapInh: 0000000000000000" "CapPrm: 0000000000000000" "CapEff: 0000000000000000" \
    "CapBnd: 0000000000000000" "CapAmb: 0000000000000000" "NoNewPrivs: 1"; do
    case "$s" in *"$want"*) ;; *) fail "pid $2 in $1 lacks '$want':
$s" ;; esac
  done
}

# port_8080_free: the example app listens on 8080 of the host's network in these tests.
port_8080_free() {
  if (exec 3<>/dev/tcp/127.0.0.1/8080) 2>/dev/null; then
    fail "port 8080 on this host is taken; the example app (docker/example/app.sh) listens there"
  fi
}

# wait_healthy NAME: runs the image's HEALTHCHECK through podman until it passes (10 s at most).
wait_healthy() {
  for _ in $(seq 100); do
    bpodman healthcheck run "$1" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  fail "$1 never became healthy; logs: $(bpodman logs "$1" 2>&1)"
}

test_release_flow_migrates_once_then_the_app_runs_as_app_goes_healthy_then_unhealthy_and_stops_fast() {
  release_database
  port_8080_free

  # The compose migrate service, twice at the same moment (two replicas' release jobs).
  compose_service migrate
  expect_eq "migrate apply" "${RUN_CMD[*]}" "compose.yaml's migrate command"
  for n in 1 2; do
    bpodman create --ulimit nofile=1024:1024 --ulimit nproc=4096:4096 --name "ballast-e2e-migrate$n-$$" \
      "${RUN_ARGS[@]}" "$EXAMPLE_IMAGE" "${RUN_CMD[@]}" >/dev/null || fail "podman create failed"
    on_exit "bpodman rm -f -t 0 ballast-e2e-migrate$n-$$"
  done
  bpodman start "ballast-e2e-migrate1-$$" "ballast-e2e-migrate2-$$" >/dev/null || fail "podman start failed"
  codes=$(bpodman wait "ballast-e2e-migrate1-$$" "ballast-e2e-migrate2-$$" | tr '\n' ' ')
  logs=$(bpodman logs "ballast-e2e-migrate1-$$" 2>&1; echo ===; bpodman logs "ballast-e2e-migrate2-$$" 2>&1)
  expect_eq "0 0 " "$codes" "exit codes of the two migrate containers; logs:
$logs"
  [ "$(grep -c '3 migrations applied, 0 already applied' <<<"$logs")" = 1 ] || fail "not exactly one container applied the 3 migrations:
$logs"
  [ "$(grep -c '0 migrations applied, 3 already applied' <<<"$logs")" = 1 ] || fail "the other container did not find all 3 applied:
$logs"
  grep -qF "$DB_PASSWORD" <<<"$logs" && fail "the database password appears in the logs"
  expect_eq "audit_log notes users" "$(pg_query "$DB_URL" "SELECT string_agg(tablename, ' ' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'ballast_schema_history'")" "tables"

  # The app, with a root-owned /data volume holding a root-owned file.
  mkdir -p data/sub && touch data/sub/old-file && chown -R 0:0 data && chmod 0755 data
  compose_service app
  name="ballast-e2e-app-$$"
  podman_run -d --name "$name" "${RUN_ARGS[@]}" -v "$WORK/data:/data" "$EXAMPLE_IMAGE" >/dev/null 2>&1 ||
    fail "podman run of the app failed"
  on_exit "bpodman rm -f -t 0 $name"
  expect_eq starting "$(health "$name")" "health right after the start"
  wait_healthy "$name"
  expect_eq healthy "$(health "$name")" "health once the app answers"
  for p in data data/sub data/sub/old-file data/.health; do
    expect_eq "$APP_UID:$APP_UID" "$(stat -c %u:%g "$p")" "owner of $p"
  done
  expect_unprivileged "$name" 1  # entrypoint, supervising as PID 1
  httpd_pid=$(bpodman exec "$name" pidof httpd) || fail "no httpd in the app container"
  expect_unprivileged "$name" "$httpd_pid"
  run_capture bpodman exec "$name" /usr/local/bin/healthcheck http://127.0.0.1:8080/api/health \
    --expect-json /checks/data=ok --expect-json /checks/schema=ok
  expect_rc 0
  run_capture bpodman logs "$name"
  expect_out "loaded DATABASE_URL, JWT_SECRET from files"
  expect_out "preflight ok: secret JWT_SECRET"
  expect_out "chown /data to $APP_UID:$APP_UID"
  expect_no_out "$(cat secrets/jwt_secret)"

  # The app stops answering: podman's failing streak must reach the image's retries after
  # its start period.
  bpodman exec "$name" killall httpd || fail "could not stop httpd in the app container"
  start_period=$(bpodman inspect --format '{{.Config.Healthcheck.StartPeriod.Seconds}}' "$name")
  sleep $(( ${start_period%.*} + 1 ))
  for _ in 1 2 3 4 5; do
    bpodman healthcheck run "$name" >/dev/null 2>&1 && fail "the health check passed with httpd stopped"
    [ "$(health "$name")" = unhealthy ] && break
  done
  expect_eq unhealthy "$(health "$name")" "health after the app stopped answering"
  log=$(bpodman inspect --format '{{range .State.Health.Log}}{{.Output}}{{end}}' "$name")
  case "$log" in *"unhealthy: GET http://127.0.0.1:8080/api/health connect refused"*) ;; *) fail "health log lacks the probe's line: $log" ;; esac

  # podman stop: SIGTERM reaches the app's whole process group through PID 1 at once.
  start=$(date +%s%N)
  bpodman stop -t 10 "$name" >/dev/null 2>&1 || fail "podman stop failed"
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  # Quiet, it takes about 200 ms; the margin holds at load 20 and still tells it from the 10 s
  # a PID 1 ignoring SIGTERM would take.
  [ "$ms" -lt 5000 ] || fail "podman stop took ${ms} ms (want < 5000; 10 s means SIGTERM was lost)"
  expect_eq exited "$(bpodman inspect --format '{{.State.Status}}' "$name")" "state after podman stop"
  echo "podman stop took ${ms} ms"
}

test_kubernetes_pod_runs_non_root_with_fs_group_and_its_probes_pass() {
  release_database
  port_8080_free
  # What the kubelet makes of the pod: secret files 0440 root:fsGroup, the volume group-owned.
  fs_group=$(in_yaml k8s/deployment.yaml '.spec.template.spec.securityContext.fsGroup')
  mkdir -p k8s-secrets data
  cp secrets/database_url secrets/jwt_secret k8s-secrets/
  chown -R "0:$fs_group" k8s-secrets data && chmod 0440 k8s-secrets/* && chmod 2775 data

  k8s_container deployment.yaml '.spec.template.spec.initContainers[0]'
  run_capture podman_run --rm --name "ballast-e2e-init-$$" "${RUN_ARGS[@]}" "$EXAMPLE_IMAGE" "${RUN_CMD[@]}"
  expect_rc 0
  expect_out "running as uid $APP_UID (not root): no privilege drop, no ownership changes"
  expect_out "3 migrations applied, 0 already applied"

  k8s_container deployment.yaml '.spec.template.spec.containers[0]'
  name="ballast-e2e-pod-$$"
  podman_run -d --name "$name" "${RUN_ARGS[@]}" "$EXAMPLE_IMAGE" >/dev/null 2>&1 || fail "podman run of the app failed"
  on_exit "bpodman rm -f -t 0 $name"
  # Like the kubelet: the startup probe until it passes, then liveness and readiness, each
  # executed in the container as its user, without entrypoint (so DATABASE_URL_FILE is read
  # by migrate itself).
  k8s_probe startupProbe
  for _ in $(seq 100); do
    bpodman exec --user "$APP_UID" "$name" "${PROBE_CMD[@]}" >/dev/null 2>&1 && break
    sleep 0.1
  done
  for probe in startupProbe livenessProbe readinessProbe; do
    k8s_probe "$probe"
    run_capture bpodman exec --user "$APP_UID" "$name" "${PROBE_CMD[@]}"
    [ "$rc" = 0 ] || fail "$probe (${PROBE_CMD[*]}) exited $rc: $out
logs: $(bpodman logs "$name" 2>&1)"
  done
  expect_unprivileged "$name" 1
  expect_eq "0:$fs_group" "$(stat -c %u:%g data)" "/data is left to fsGroup"
  expect_eq "$APP_UID:$fs_group" "$(stat -c %u:%g data/.health)" "a file the app wrote in /data"

  # Readiness follows the schema: a migration this image lacks in the database makes it fail.
  pg_query "$DB_URL" "DELETE FROM ballast_schema_history WHERE module = 'audit'" >/dev/null
  k8s_probe readinessProbe
  run_capture bpodman exec --user "$APP_UID" "$name" "${PROBE_CMD[@]}"
  expect_rc 1
}

test_prod_refuses_to_start_the_app_with_a_weak_secret_saying_so_in_its_logs() {
  release_database
  chmod 0600 secrets/jwt_secret && printf 'changeme\n' >secrets/jwt_secret && chmod 0400 secrets/jwt_secret
  mkdir -p data
  compose_service app
  name="ballast-e2e-weak-$$"
  podman_run -d --name "$name" "${RUN_ARGS[@]}" -v "$WORK/data:/data" "$EXAMPLE_IMAGE" >/dev/null 2>&1 ||
    fail "podman run of the app failed"
  on_exit "bpodman rm -f -t 0 $name"
  expect_eq 78 "$(bpodman wait "$name")" "exit code of the refused start"
  run_capture bpodman logs "$name"
  expect_out "preflight fail: secret JWT_SECRET: ****** (8 chars): a known default value"
  expect_out "fatal: refusing to start in prod (mode from MODE): 1 preflight check failed"
  expect_no_out "changeme"
  expect_no_out "app: listening"
}

test_prod_refuses_to_apply_an_unreviewed_migration_and_changes_nothing() {
  release_database
  cp -r "$EXAMPLE_DIR/migrations" migrations
  printf 'ALTER TABLE users ADD COLUMN name TEXT;\n' >migrations/0003_add_user_name.sql
  compose_service migrate
  name="ballast-e2e-unreviewed-$$"
  podman_run -d --name "$name" "${RUN_ARGS[@]}" -v "$WORK/migrations:/app/migrations:ro" "$EXAMPLE_IMAGE" \
    "${RUN_CMD[@]}" >/dev/null 2>&1 || fail "podman run of migrate failed"
  on_exit "bpodman rm -f -t 0 $name"
  expect_eq 65 "$(bpodman wait "$name")" "exit code of the refused apply"
  run_capture bpodman logs "$name"
  expect_out "migrate: fatal: refusing to apply, nothing changed (1 problem)"
  expect_out "0003_add_user_name.sql: not reviewed: not in reviewed.sum"
  expect_eq "" "$(pg_query "$DB_URL" "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('users', 'notes', 'audit_log')")" \
    "tables after the refused apply"
}

# new_release_image: the example image of the next release: one more migration, reviewed.
# Sets NEW_IMAGE.
new_release_image() {
  mkdir -p next/migrations
  cp "$EXAMPLE_DIR/migrations/"* next/migrations/
  printf 'ALTER TABLE notes ADD COLUMN pinned BOOLEAN NOT NULL DEFAULT false;\n' >next/migrations/0003_pin_notes.sql
  (cd next/migrations && sha256sum 0003_pin_notes.sql >>reviewed.sum)
  NEW_IMAGE=localhost/ballast-example:next-$$
  printf 'FROM %s\nCOPY migrations/ /app/migrations/\n' "$EXAMPLE_IMAGE" >next/Containerfile
  bpodman build -q --format docker -t "$NEW_IMAGE" -f next/Containerfile next >/dev/null ||
    fail "could not build the next release's image"
  on_exit "bpodman rmi -f $NEW_IMAGE"
}

# in_release IMAGE CMD...: runs CMD once in IMAGE the way compose.yaml runs its migrate service
# (prod, DATABASE_URL_FILE), leaving the exit code in $rc and the output in $out.
in_release() {
  local image=$1
  shift
  compose_service migrate
  run_capture podman_run --rm "${RUN_ARGS[@]}" "$image" "$@"
}

test_rolling_update_keeps_old_pods_ready_and_holds_new_pods_until_the_release_job() {
  release_database
  new_release_image
  k8s_probe readinessProbe
  in_release "$EXAMPLE_IMAGE" migrate apply
  expect_rc 0
  expect_out "3 migrations applied"
  in_release "$EXAMPLE_IMAGE" "${PROBE_CMD[@]}"
  expect_rc 0
  # New pods scheduled before the release job: migrate wait holds them, and says why.
  in_release "$NEW_IMAGE" migrate wait --timeout 2s
  expect_rc 75
  expect_out "still 1 pending (0003_pin_notes.sql)"
  in_release "$NEW_IMAGE" "${PROBE_CMD[@]}"
  expect_rc 1
  # The release job of the new image applies 0003 ...
  in_release "$NEW_IMAGE" migrate apply
  expect_rc 0
  expect_out "1 migration applied, 3 already applied"
  # ... and the old pods, still serving, stay ready: 0003 is ahead of them, not a problem.
  in_release "$EXAMPLE_IMAGE" "${PROBE_CMD[@]}"
  expect_rc 0
  in_release "$EXAMPLE_IMAGE" migrate status
  expect_out "ahead"
  in_release "$NEW_IMAGE" migrate wait --timeout 30s
  expect_rc 0
  in_release "$NEW_IMAGE" "${PROBE_CMD[@]}"
  expect_rc 0
}

test_embedded_default_lands_on_the_volume_entrypoint_prepares() {
  mkdir -p data
  run_capture podman_run --rm --network none -e MODE=dev -e ENTRYPOINT_POLICY= -v "$WORK/data:/data" \
    "$EXAMPLE_IMAGE" migrate apply
  expect_rc 0
  expect_out "using the embedded default sqlite:./data/app.sqlite3"
  expect_out "3 migrations applied"
  [ -f data/app.sqlite3 ] || fail "the database is not on the /data volume: $(ls -la data)"
  expect_eq "$APP_UID:$APP_UID" "$(stat -c %u:%g data/app.sqlite3)" "owner of the database file"
  run_capture podman_run --rm --network none -e MODE=dev -e ENTRYPOINT_POLICY= -v "$WORK/data:/data" \
    "$EXAMPLE_IMAGE" migrate status --exit-code
  expect_rc 0
}
