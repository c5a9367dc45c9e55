#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "common/cli.hpp"

namespace ballast {

// What every binary tells its --help and --version.
struct ProgramInfo {
  std::string_view name;      // "migrate"
  std::string_view synopsis;  // "migrate [options] COMMAND"
  std::string_view summary;   // one paragraph
  std::string_view footer;    // exit codes, pointers to docs
  // The libraries this binary links beyond the ones all three do, with their versions
  // ("libcap 2.66"); --version lists them (see build_info.hpp).
  std::string (*libraries)() = nullptr;
};

// `own` followed by cli::common_options(), for cli::parse and cli::help_text.
std::vector<cli::Option> with_common_options(std::span<const cli::Option> own);

// Handles what every binary does the same way: --help and --version print to stdout and
// give exit code 0; otherwise logging is configured and nullopt is returned so the program
// goes on. Levels and formats come from --log-level/--log-format or BALLAST_LOG_LEVEL/
// BALLAST_LOG_FORMAT (strict: a bad value is an error), else from the app's LOG_LEVEL/
// LOG_FORMAT (tolerant: aliases of the common logging stacks; an unknown value warns once).
std::optional<int> handle_common_options(const ProgramInfo& info,
                                         std::span<const cli::Option> options,
                                         const cli::Args& args, const Env& env);

// "NAME (Ballast) VERSION".
std::string version_line(std::string_view name);

// What --version prints: version_line, then commit, architecture and libraries.
std::string version_text(const ProgramInfo& info);

}  // namespace ballast
