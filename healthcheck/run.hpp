#pragma once

#include <span>

#include "common/env.hpp"
#include "common/net/probe.hpp"

namespace ballast::healthcheck {

// The whole of `healthcheck`: probes every target once and returns 0 when healthy (all
// targets, or any with --any) and 1 otherwise. Throws UsageError for bad arguments; the caller
// maps that to 1 as well.
// https:// targets use `links.tls` (none: refused as usage errors), postgres:// logins
// `links.pg_auth`.
int run(std::span<char* const> args, const Env& env, const probe::Links& links);

// main()'s body: run() over the process's arguments and environment, errors mapped to exit
// codes (usage errors to 1: Docker reserves 2).
int program_main(int argc, char** argv, const probe::Links& links);

}  // namespace ballast::healthcheck
