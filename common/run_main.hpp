#pragma once

#include <functional>
#include <string_view>

namespace ballast {

// How run_main turns an escaped exception into an exit code.
enum class ExitPolicy {
  kSysexits,    // Error::exit_code(), 71 for system errors, 70 for anything else
  kBinaryOnly,  // 0 stays 0, everything else becomes 1 (healthcheck: Docker reserves 2)
};

// Inside a catch block: logs the exception being handled once as "PROGRAM: fatal: MESSAGE"
// and returns its exit code under `policy` (Error::exit_code(), 71 for system errors, 70 for
// anything else). Never throws. For code that must end a process itself (a forked child).
int exit_code_of_current_exception(ExitPolicy policy = ExitPolicy::kSysexits) noexcept;

// Runs body and returns its exit code. Any exception is logged once as
// "PROGRAM: fatal: MESSAGE" and turned into an exit code by policy. Never throws.
int run_main(std::string_view program, const std::function<int()>& body,
             ExitPolicy policy = ExitPolicy::kSysexits) noexcept;

}  // namespace ballast
