// healthcheck without TLS (bench only): healthcheck/main.cpp passing no TlsConnect, so
// mbedTLS is not linked. bench/healthcheck_probe.sh runs it beside the real binary to show
// what TLS support costs a plain-HTTP probe.
#include "healthcheck/run.hpp"

int main(int argc, char** argv) { return ballast::healthcheck::program_main(argc, argv, {}); }
