#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/env.hpp"
#include "common/mode.hpp"
#include "entrypoint/privileges.hpp"
#include "entrypoint/supervisor.hpp"
#include "entrypoint/wait.hpp"

// entrypoint's command line, parsed once into one typed struct: run.cpp reads fields, never
// option names, so a misspelt option is a compile error rather than a silently unset value.
namespace ballast::entrypoint {

struct Options {
  std::optional<std::string> user;            // --user SPEC: who runs COMMAND (absent: no drop)
  std::vector<std::string> chown;             // --chown PATH...: given to the user
  bool chown_cross_mounts = false;            // --chown-cross-mounts
  bool make_missing = true;                   // not --no-mkdir
  DropOptions drop;                           // --keep-cap, not --allow-new-privs
  bool allow_root = false;                    // --allow-root: root may run COMMAND in prod
  bool load_file_secrets = true;              // not --no-file-secrets
  std::vector<std::string> file_secret_skip;  // --file-secret-skip NAME_FILE...
  std::optional<std::string> policy;          // --policy FILE
  bool init = false;                          // --init / -s: supervise even when not PID 1
  SuperviseOptions supervise;  // --single-child, --setsid, --rewrite, --remap-exit, -e, --grace
  WaitOptions wait;            // --wait, --wait-timeout, --wait-interval
  ResolvedMode mode{Mode::kDev, "default"};
  std::vector<std::string> command;  // COMMAND [ARG...]
};

// Parses argv[1..] and the ENTRYPOINT_* environment, validating every value before anything
// changes: UsageError (64) or ConfigError (78). nullopt after --help or --version, which were
// printed; logging is configured as a side effect (it must be before anything logs).
std::optional<Options> parse_options(std::span<char* const> args, const Env& env);

}  // namespace ballast::entrypoint
