#!/usr/bin/env bash
# One HTTP probe of a loopback server, side by side: healthcheck, curl -fsS, GNU wget -q,
# busybox wget -q, and the seeds' node one-liner. Median wall time, peak RSS and minor page
# faults over >= 300 interleaved runs. Writes bench/results/healthcheck-probe.md.
. "$(dirname "$0")/lib.sh"
need curl wget busybox node
runs=${RUNS:-300}
work=$(mktemp -d)
mkdir -p "$work/www/api"
printf '{"status":"healthy","checks":{"db":{"ok":true}}}' >"$work/www/api/health"
port=$(( 20000 + RANDOM % 30000 ))
busybox httpd -f -p "127.0.0.1:$port" -h "$work/www" &
server=$!
trap 'kill $server; rm -rf "$work"' EXIT
sleep 0.3
url="http://127.0.0.1:$port/api/health"
spec=$work/spec
printf '%s\t\t%s\n' \
  "bare /bin/true" "/usr/bin/true" \
  "floor: static C GET" "$(dirname "$RUNNER")/floor_http_get $port /api/health" \
  "healthcheck" "$HEALTHCHECK $url" \
  "healthcheck --expect-json" "$HEALTHCHECK --expect-json /status=healthy $url" \
  "healthcheck built without TLS" "$BUILD/bench/healthcheck_no_tls $url" \
  "busybox wget -q" "$(command -v busybox) wget -q -O /dev/null $url" \
  "GNU wget -q" "$(command -v wget) -q -O /dev/null $url" \
  "curl -fsS" "$(command -v curl) -fsS -o /dev/null $url" \
  "node one-liner" "$(command -v node) -e require('http').get('$url',(r)=>process.exit(r.statusCode===200?0:1))" >"$spec"
out=$RESULTS/healthcheck-probe.md
mkdir -p "$RESULTS"
{
  echo "# healthcheck: one HTTP probe of a loopback server, next to curl, wget, busybox wget and node"
  echo
  machine
  echo "- server: busybox httpd on 127.0.0.1, a 49-byte JSON body"
  echo
  "$RUNNER" --runs "$runs" --title "GET $url" "$spec"
  echo
  echo "Targets (issue 5): wall and RSS no higher than busybox wget's, at least 5x below curl's and"
  echo "30x below node's."
  echo
  echo "\"healthcheck built without TLS\" is the same program with mbedTLS left out"
  echo "(bench/healthcheck_no_tls.cpp): the difference is what TLS support costs a plain-HTTP probe."
  echo "healthcheck/tls_last.ld keeps that cost to one 64 KiB fault-around window of RSS."
  echo
  echo "The floor row is a static C program that connects, sends one GET and reads one chunk, with"
  echo "no deadline and no parsing: no probe can beat it. busybox httpd forks per connection, so"
  echo "most of every probe's time is the server's."
} >"$out"
cat "$out"
