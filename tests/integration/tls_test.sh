# it.tls.*: healthcheck's TLS against openssl s_server: certificate expiry (--cert-min-days),
# client certificates (--cert/--key), and the failures' one-line hints.

# make_ca: a CA (ca.pem, ca.key) for this test.
make_ca() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem \
    -days 30 -subj /CN=test-ca >/dev/null 2>&1 || skip "openssl cannot make a certificate"
}

# issue NAME DAYS CN [EXT]: NAME.pem and NAME.key signed by the CA, valid DAYS days.
issue() {
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$1.key" -out "$1.csr" \
    -subj "/CN=$3" >/dev/null 2>&1
  printf '%s\n' "${4:-subjectAltName=DNS:localhost,IP:127.0.0.1}" >"$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days "$2" \
    -extfile "$1.ext" -out "$1.pem" >/dev/null 2>&1 || fail "could not issue $1"
}

# serve ARGS...: openssl s_server -www on a free port with ARGS; sets $p.
serve() {
  start_server p openssl s_server -accept "127.0.0.1:{port}" -www -quiet "$@"
}

test_cert_min_days_names_the_expiry_date() {
  make_ca
  issue server 5 localhost
  serve -cert server.pem -key server.key
  local date
  date=$(date -u -d "$(openssl x509 -in server.pem -noout -enddate | cut -d= -f2)" '+%Y-%m-%d %H:%M UTC')
  run_capture "$HEALTHCHECK" --cacert ca.pem --cert-min-days 10 "https://localhost:$p/"
  expect_rc 1
  expect_out "the certificate expires on $date, in 5 days (--cert-min-days 10): renew it"
  run_capture "$HEALTHCHECK" --cacert ca.pem --cert-min-days 3 "https://localhost:$p/"
  expect_rc 0
  # The environment form, and with --insecure the date is still checked.
  run_capture env HEALTHCHECK_CERT_MIN_DAYS=30 "$HEALTHCHECK" --insecure "https://localhost:$p/"
  expect_rc 1
  expect_out "expires on $date"
  run_capture "$HEALTHCHECK" --cert-min-days soon "https://localhost:$p/"
  expect_rc 1
  expect_out "invalid --cert-min-days 'soon'"
}

test_client_certificate_is_presented_when_the_server_requires_one() {
  make_ca
  issue server 5 localhost
  issue client 5 probe "extendedKeyUsage=clientAuth"
  serve -cert server.pem -key server.key -Verify 1 -CAfile ca.pem
  run_capture "$HEALTHCHECK" --cacert ca.pem "https://localhost:$p/"
  expect_rc 1
  run_capture "$HEALTHCHECK" --cacert ca.pem --cert client.pem --key client.key "https://localhost:$p/"
  expect_rc 0
  # One file holding both, as curl's --cert takes it; the environment forms.
  cat client.pem client.key >both.pem
  run_capture env HEALTHCHECK_CERT="$WORK/both.pem" HEALTHCHECK_CACERT="$WORK/ca.pem" \
    "$HEALTHCHECK" "https://localhost:$p/"
  expect_rc 0
  run_capture "$HEALTHCHECK" --cacert ca.pem --cert client.pem --key missing.key "https://localhost:$p/"
  expect_rc 1
  expect_out "cannot load the private key from missing.key"
  run_capture "$HEALTHCHECK" --key client.key "https://localhost:$p/"
  expect_rc 1
  expect_out "--key needs --cert"
}

test_tls13_only_servers_with_ecdsa_and_rsa_pss_certificates_are_healthy() {
  make_ca
  issue server 5 localhost
  serve -cert server.pem -key server.key -tls1_3
  run_capture "$HEALTHCHECK" --cacert ca.pem "https://localhost:$p/"
  expect_rc 0
  # RSA certificates sign TLS 1.3 handshakes with RSA-PSS.
  openssl req -x509 -newkey rsa:2048 -nodes -keyout rsa.key -out rsa.pem -days 5 -subj /CN=localhost \
    -addext "subjectAltName=DNS:localhost" >/dev/null 2>&1
  serve -cert rsa.pem -key rsa.key -tls1_3
  run_capture "$HEALTHCHECK" --cacert rsa.pem "https://localhost:$p/"
  expect_rc 0
  # TLS 1.2-only servers still work.
  serve -cert server.pem -key server.key -tls1_2
  run_capture "$HEALTHCHECK" --cacert ca.pem "https://localhost:$p/"
  expect_rc 0
}

test_ed25519_certificates_are_refused_with_the_reason() {
  openssl req -x509 -newkey ed25519 -nodes -keyout ed.key -out ed.pem -days 5 -subj /CN=localhost \
    -addext "subjectAltName=DNS:localhost" >/dev/null 2>&1 || skip "openssl cannot make an Ed25519 certificate"
  serve -cert ed.pem -key ed.key
  run_capture "$HEALTHCHECK" --cacert ed.pem "https://localhost:$p/"
  expect_rc 1
  expect_out "an Ed25519 certificate? healthcheck's TLS verifies ECDSA and RSA certificates only"
  run_capture "$HEALTHCHECK" --insecure "https://localhost:$p/"
  expect_rc 1
  expect_out "ECDSA and RSA certificates but not Ed25519"
}
