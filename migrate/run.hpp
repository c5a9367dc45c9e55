#pragma once

#include <span>
#include <string>

#include "common/env.hpp"

namespace ballast::migrate {

// The whole of `migrate`: parses argv[1..] and `env`, runs the command, returns its exit code.
// Throws ballast::Error subclasses for everything that goes wrong (see commands.hpp).
int run(std::span<char* const> args, const Env& env);

// migrate's own libraries and their versions, for --version (libraries.cpp).
std::string libraries();

}  // namespace ballast::migrate
