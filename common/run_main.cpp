#include "common/run_main.hpp"

#include <cstdio>
#include <exception>
#include <system_error>

#include "common/error.hpp"
#include "common/exit_code.hpp"
#include "common/log.hpp"

namespace ballast {
namespace {

int apply_policy(int code, ExitPolicy policy) {
  if (policy == ExitPolicy::kBinaryOnly) return code == exit_code::kOk ? code : exit_code::kFailure;
  return code;
}

}  // namespace

int exit_code_of_current_exception(ExitPolicy policy) noexcept {
  try {
    throw;
  } catch (const Error& e) {
    if (log::enabled(log::Level::kFatal)) log::write(log::Level::kFatal, e.what(), e.fields());
    return apply_policy(e.exit_code(), policy);
  } catch (const std::system_error& e) {
    log::fatal("{}", e.what());
    return apply_policy(exit_code::kOs, policy);
  } catch (const std::exception& e) {
    log::fatal("internal error: {}", e.what());
    return apply_policy(exit_code::kSoftware, policy);
  } catch (...) {
    // Logging itself may be what failed; write without it.
    std::fputs("fatal: unknown internal error\n", stderr);
    return apply_policy(exit_code::kSoftware, policy);
  }
}

int run_main(std::string_view program, const std::function<int()>& body,
             ExitPolicy policy) noexcept {
  log::set_program(program);
  try {
    return apply_policy(body(), policy);
  } catch (...) {
    return exit_code_of_current_exception(policy);
  }
}

}  // namespace ballast
