#!/bin/sh
# The example app, a stand-in for your service: BusyBox httpd serves /api/health as
# {"status":"healthy","checks":{"data":"ok","schema":"ok"}}, rewritten every few seconds from
# real checks: the app can write to /data (which entrypoint gave it), and the database holds
# every migration of this image (migrate status --exit-code). A failed check makes the status
# "unhealthy", which `healthcheck --expect-json /status=healthy` reports.
set -eu
listen=${LISTEN:-0.0.0.0:8080}
data=${DATA_DIR:-/data}
www=${TMPDIR:-/tmp}/www  # /tmp: the root filesystem may be read-only
: "${DATABASE_URL:=sqlite:$data/app.sqlite3}"
export DATABASE_URL

check_data() {
  if touch "$data/.health" 2>/dev/null; then echo ok; else echo "not writable"; fi
}
# migrate status --exit-code is rollout-safe: rows a newer release applied ("ahead") are fine;
# only this image's own pending, failed, changed or refused files fail it.
check_schema() {
  rc=0
  migrate status --exit-code --log-level off >/dev/null 2>&1 || rc=$?
  case $rc in
    0) echo ok ;;
    1) echo "migrations pending" ;;
    *) echo "database unreachable (migrate status exit $rc)" ;;
  esac
}
write_health() {
  d=$(check_data)
  s=$(check_schema)
  status=healthy
  if [ "$d" != ok ] || [ "$s" != ok ]; then status=unhealthy; fi
  printf '{"status":"%s","checks":{"data":"%s","schema":"%s"}}\n' "$status" "$d" "$s" >"$www/api/health.new"
  mv "$www/api/health.new" "$www/api/health"
}

mkdir -p "$www/api"
write_health
httpd -f -p "$listen" -h "$www" &
echo "app: listening on $listen as $(id -un) (uid $(id -u)), health: $(cat "$www/api/health")"
while sleep "${HEALTH_REFRESH:-5}"; do write_health; done
