#pragma once

#include <span>

#include "common/env.hpp"

namespace ballast::healthcheck {

// The whole of `healthcheck`: probes every target once and returns 0 when healthy (all
// targets, or any with --any) and 1 otherwise. Throws UsageError for bad arguments; the caller
// maps that to 1 as well.
int run(std::span<char* const> args, const Env& env);

}  // namespace ballast::healthcheck
