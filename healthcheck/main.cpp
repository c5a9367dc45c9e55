#include "common/tls/pg_auth.hpp"
#include "common/tls/tls_stream.hpp"
#include "healthcheck/run.hpp"

int main(int argc, char** argv) {
  // https:// probes and PostgreSQL logins: linking TLS and crypto in is this binary's choice
  // (bench/healthcheck_no_tls.cpp passes none, to show what TLS costs a plain-HTTP probe).
  return ballast::healthcheck::program_main(
      argc, argv, {&ballast::TlsStream::connect, &ballast::start_pg_auth});
}
