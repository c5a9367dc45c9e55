#include "common/probe_http.hpp"
#include "healthcheck/run.hpp"

int main(int argc, char** argv) {
  // https:// probes: linking TLS in is this binary's choice (bench/healthcheck_no_tls.cpp
  // leaves it out to show what TLS costs a plain-HTTP probe).
  ballast::probe::enable_https();
  return ballast::healthcheck::program_main(argc, argv);
}
