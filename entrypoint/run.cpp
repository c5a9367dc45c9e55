#include "entrypoint/run.hpp"

#include <array>
#include <string>
#include <vector>

#include "common/cli.hpp"
#include "common/error.hpp"
#include "common/mode.hpp"
#include "common/program.hpp"
#include "entrypoint/exec.hpp"

namespace ballast::entrypoint {
namespace {

constexpr ProgramInfo kInfo{
    "entrypoint",
    "entrypoint [options] [--] COMMAND [ARG...]",
    "Container ENTRYPOINT: prepares the container, then runs COMMAND in its place.",
    "exit codes: COMMAND's own; 64 usage, 78 configuration refused, 126 not executable,\n"
    "127 not found. See docs/entrypoint.md.",
};

constexpr std::array<cli::Option, 0> kOptions{};

}  // namespace

int run(std::span<char* const> args, const Env& env) {
  const auto options = with_common_options(kOptions);
  const cli::Args parsed = cli::parse(options, args, env, cli::Positionals::kStopAtFirst);
  if (auto code = handle_common_options(kInfo, options, parsed)) return *code;
  resolve_mode(parsed.value("mode"), env);
  exec_command(parsed.positional, env);
}

}  // namespace ballast::entrypoint
