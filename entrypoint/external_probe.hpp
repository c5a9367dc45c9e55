#pragma once

#include <memory>
#include <string>

#include "common/net/probe.hpp"

namespace ballast::entrypoint {

// The healthcheck binary beside this one (same folder as /proc/self/exe), else on PATH; ""
// when there is none.
std::string find_healthcheck();

// An https:// target probed by running `healthcheck` (the same probe code, with TLS), so that
// entrypoint itself links no TLS library and stays within its size budget. `healthcheck` is
// the path find_healthcheck() returned.
std::unique_ptr<probe::Probe> make_external_probe(std::string healthcheck, std::string target);

}  // namespace ballast::entrypoint
