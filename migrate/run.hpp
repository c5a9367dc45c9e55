#pragma once

#include <span>

#include "common/env.hpp"

namespace ballast::migrate {

// The whole of `migrate`: parses argv[1..] and `env`, runs the command, returns its exit code.
// Throws ballast::Error subclasses for everything that goes wrong (see commands.hpp).
int run(std::span<char* const> args, const Env& env);

}  // namespace ballast::migrate
