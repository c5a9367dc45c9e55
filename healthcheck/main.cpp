#include "common/grpc/probe_grpc.hpp"
#include "common/tls/pg_auth.hpp"
#include "common/tls/tls_stream.hpp"
#include "healthcheck/run.hpp"

int main(int argc, char** argv) {
  // https://, PostgreSQL logins and gRPC: linking TLS, crypto and HTTP/2 in is this binary's
  // choice (bench/healthcheck_no_tls.cpp passes none, to show what they cost a plain-HTTP
  // probe).
  return ballast::healthcheck::program_main(
      argc, argv,
      {&ballast::TlsStream::connect, &ballast::start_pg_auth, &ballast::probe::make_grpc_probe});
}
