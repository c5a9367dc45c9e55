#pragma once

#include <string>
#include <vector>

#include "common/env.hpp"

namespace ballast::entrypoint {

// Replaces this process with `command` (searched in PATH as execvp does, using PATH from
// `env`), with exactly `env` as its environment. Returns only on failure, by throwing Error
// with exit code 127 when the command was not found and 126 when it was found but could not
// be executed, as shells and tini do.
[[noreturn]] void exec_command(const std::vector<std::string>& command, const Env& env);

}  // namespace ballast::entrypoint
