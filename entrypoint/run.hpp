#pragma once

#include <span>

#include "common/env.hpp"

namespace ballast::entrypoint {

// The whole of `entrypoint`: parses argv[1..] against its options and `env`, then execs the
// command. Returns an exit code only for --help/--version; otherwise execs or throws.
int run(std::span<char* const> args, const Env& env);

}  // namespace ballast::entrypoint
