# it.nginx.*: healthcheck against a real nginx (Debian's), as most containers' apps sit behind
# one: statuses, a long response header, TLS 1.3 only, certificate expiry, client certificates.

# start_nginx SERVER_BLOCK: nginx in the foreground with SERVER_BLOCK (where PORT is replaced by
# a free port, which is left in $port), its files in $WORK/nginx.
start_nginx() {
  command -v nginx >/dev/null || skip "nginx not installed; run scripts/bootstrap"
  mkdir -p "$WORK/nginx/tmp"
  nginx_block=$1
  start_server port run_nginx "{port}"
}

# run_nginx PORT: writes $WORK/nginx/PORT.conf from $nginx_block and becomes nginx.
run_nginx() {
  cat >"$WORK/nginx/$1.conf" <<CONF
daemon off;
master_process off;
worker_processes 1;
pid $WORK/nginx/$1.pid;
error_log stderr;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/tmp;
  proxy_temp_path $WORK/nginx/tmp;
  fastcgi_temp_path $WORK/nginx/tmp;
  uwsgi_temp_path $WORK/nginx/tmp;
  scgi_temp_path $WORK/nginx/tmp;
  server {
    ${nginx_block//PORT/$1}
  }
}
CONF
  exec nginx -c "$WORK/nginx/$1.conf" -p "$WORK/nginx"
}

test_statuses_and_a_long_header_as_nginx_sends_them() {
  # nginx takes at most 4 KB per configuration word: five headers of 4,000 bytes make a 20 KB
  # head (over the 16 KiB many parsers stop at; curl, Go and the kubelet read it).
  local big="" chunk i
  chunk=$(head -c 4000 /dev/zero | tr '\0' 'a')
  for i in 1 2 3 4 5; do big="$big add_header X-Big-$i $chunk;"; done
  start_nginx "listen 127.0.0.1:PORT;
    location = /health { default_type application/json; return 200 '{\"status\":\"ok\"}'; }
    location = /down { return 503; }
    location = /empty { return 204; }
    location = /moved { return 301 /health; }
    location = /big { $big return 200 'ok'; }"
  run_capture "$HEALTHCHECK" --expect-json /status=ok "http://127.0.0.1:$port/health"
  expect_rc 0
  run_capture "$HEALTHCHECK" "http://127.0.0.1:$port/down"
  expect_rc 1
  expect_out "503"
  run_capture "$HEALTHCHECK" "http://127.0.0.1:$port/empty"
  expect_rc 0
  run_capture "$HEALTHCHECK" --status 200-299 "http://127.0.0.1:$port/moved"
  expect_rc 1
  expect_out "301"
  run_capture "$HEALTHCHECK" --expect-body ok "http://127.0.0.1:$port/big"
  expect_rc 0
  run_capture "$HEALTHCHECK" "http://127.0.0.1:$port/missing"
  expect_rc 1
  expect_out "404"
}

test_tls13_only_with_expiry_and_client_certificates() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem \
    -days 30 -subj /CN=test-ca >/dev/null 2>&1 || skip "openssl cannot make a certificate"
  for who in server client; do
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$who.key" \
      -out "$who.csr" -subj "/CN=localhost" >/dev/null 2>&1
    printf 'subjectAltName=DNS:localhost\n' >"$who.ext"
    openssl x509 -req -in "$who.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 7 \
      -extfile "$who.ext" -out "$who.pem" >/dev/null 2>&1
  done
  start_nginx "listen 127.0.0.1:PORT ssl;
    ssl_certificate $WORK/server.pem;
    ssl_certificate_key $WORK/server.key;
    ssl_protocols TLSv1.3;
    ssl_client_certificate $WORK/ca.pem;
    ssl_verify_client optional;
    location = /health { return 200 'ok'; }
    location = /mtls { if (\$ssl_client_verify != SUCCESS) { return 403; } return 200 'ok'; }"
  run_capture "$HEALTHCHECK" --cacert ca.pem "https://localhost:$port/health"
  expect_rc 0
  run_capture "$HEALTHCHECK" --cacert ca.pem --cert-min-days 30 "https://localhost:$port/health"
  expect_rc 1
  expect_out "the certificate expires on"
  run_capture "$HEALTHCHECK" --cacert ca.pem "https://localhost:$port/mtls"
  expect_rc 1
  expect_out "403"
  run_capture "$HEALTHCHECK" --cacert ca.pem --cert client.pem --key client.key "https://localhost:$port/mtls"
  expect_rc 0
  # curl agrees on every verdict above.
  if command -v curl >/dev/null; then
    curl -fsS -o /dev/null --cacert ca.pem --cert client.pem --key client.key "https://localhost:$port/mtls" ||
      fail "curl disagrees: mTLS request refused"
  fi
}
