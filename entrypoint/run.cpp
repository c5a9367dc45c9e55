#include "entrypoint/run.hpp"

#include <fmt/format.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "common/duration.hpp"
#include "common/error.hpp"
#include "common/exit_code.hpp"
#include "common/fd.hpp"
#include "common/file_secrets.hpp"
#include "common/file_system.hpp"
#include "common/log.hpp"
#include "common/mode.hpp"
#include "common/run_main.hpp"
#include "common/text.hpp"
#include "entrypoint/chown_tree.hpp"
#include "entrypoint/exec.hpp"
#include "entrypoint/identity.hpp"
#include "entrypoint/options.hpp"
#include "entrypoint/policy.hpp"
#include "entrypoint/privileges.hpp"
#include "entrypoint/signals.hpp"
#include "entrypoint/supervisor.hpp"
#include "entrypoint/wait.hpp"

namespace ballast::entrypoint {
namespace {

void run_preflight(const std::string& policy_path, const Env& env, const ResolvedMode& mode) {
  std::string text;
  try {
    text = read_file(policy_path);
  } catch (const std::system_error& e) {
    // A policy that cannot be read is a configuration problem, like a *_FILE that cannot be.
    throw ConfigError(fmt::format("--policy: {} (mount the policy file there, or drop --policy)",
                                  shown(e.what())));
  }
  const Policy policy = parse_policy(text, policy_path);
  const auto findings = evaluate_policy(policy, env);
  const bool prod = mode.mode == Mode::kProd;
  std::vector<std::string> failures;
  for (const auto& f : findings) {
    const std::string line = fmt::format("{} {}: {}", f.check, f.var, f.detail);
    const auto with = log::with({{"rule", f.check}, {"var", f.var}, {"ok", f.ok ? 1 : 0}});
    if (f.ok) {
      with.info("preflight ok: {}", line);
    } else if (prod) {
      with.error("preflight fail: {}", line);
      failures.push_back(line);
    } else {
      with.warn("preflight warn: {} (refused in prod)", line);
    }
  }
  if (!failures.empty())
    throw ConfigError(fmt::format(
        "refusing to start in prod (mode from {}): {} preflight check{} failed: {}", mode.source,
        failures.size(), failures.size() == 1 ? "" : "s", fmt::join(failures, "; ")));
}

unsigned walker_threads() {
  const unsigned n = std::thread::hardware_concurrency();
  return std::clamp(n, 1u, 4u);
}

void give_paths(const Options& options, const Identity& id) {
  ChownOptions o;
  o.uid = id.uid;
  o.gid = id.gid;
  o.cross_mounts = options.chown_cross_mounts;
  o.make_missing = options.make_missing;
  o.threads = walker_threads();
  for (const auto& path : options.chown) {
    ChownReport r;
    try {
      r = chown_tree(real_file_system(), path, o);
    } catch (const std::system_error& e) {
      log::warn("--chown {}: {}; starting anyway", path, e.what());
      continue;
    }
    for (const auto& w : r.warnings) log::warn("--chown {}: {}", path, w);
    log::with({{"path", path},
               {"examined", r.examined},
               {"changed", r.changed},
               {"skipped", r.skipped},
               {"duration_ms", r.elapsed}})
        .info("chown {} to {}:{}: {}{} examined, {} changed, {} skipped in {}", path, id.uid,
              id.gid, r.created ? "created, " : "", r.examined, r.changed, r.skipped,
              format_duration(r.elapsed));
  }
}

// The supervisor keeps nothing it does not need: no inherited descriptors above 2, no mount
// pinned by its working directory, and, when COMMAND runs as a user, that user's identity with
// no capability at all.
void prepare_supervisor(const std::optional<Identity>& id) {
  if (::chdir("/") != 0) log::debug("cannot chdir to /: {}", std::strerror(errno));
  ::syscall(SYS_close_range, 3U, ~0U, 0U);
  if (id) drop_privileges(*id, DropOptions{{}, true});
  release_startup_pages();
}

}  // namespace

int run(std::span<char* const> args, const Env& process_env) {
  const std::optional<Options> parsed = parse_options(args, process_env);
  if (!parsed) return 0;  // --help, --version
  const Options& o = *parsed;
  const bool supervising = should_supervise(o.init);

  Env env = process_env;
  // Secrets first: they are read as root (files may be mode 0400 root) and the preflight
  // must see them.
  if (o.load_file_secrets) {
    const auto loaded = load_file_secrets(env, read_secret_file, o.file_secret_skip);
    if (!loaded.empty()) log::info("loaded {} from files", fmt::join(loaded, ", "));
  }
  if (o.policy) run_preflight(*o.policy, env, o.mode);

  const uid_t euid = ::geteuid();
  std::optional<Identity> id;
  if (euid != 0) {
    if (o.user || !o.chown.empty())
      log::info("running as uid {} (not root): no privilege drop, no ownership changes", euid);
  } else if (!o.user) {
    if (o.mode.mode == Mode::kProd && !o.allow_root)
      throw ConfigError(
          fmt::format("refusing to run {} as root in prod (mode from {}): pass --user NAME "
                      "(or --allow-root if it drops privileges itself)",
                      o.command[0], o.mode.source));
    if (!o.chown.empty())
      log::warn("--chown without --user: nothing to give the paths to; skipped");
  } else {
    id = resolve_user(*o.user, load_user_db());
    give_paths(o, *id);
  }
  if (!o.wait.targets.empty()) wait_for_dependencies(o.wait);
  // Started as non-root there is nothing to drop, but no setuid binary may raise us either.
  // Set before any fork, so COMMAND and a supervisor both carry it.
  if (euid != 0 && o.drop.no_new_privs) forbid_new_privileges();

  const auto start_command = [&] {
    if (id) {
      drop_privileges(*id, o.drop);
      set_identity_env(*id, env);
    }
    exec_command(o.command, env);
  };
  if (!supervising) {
    // In place: no process stays behind, nothing to supervise.
    if (o.supervise.new_session && ::setsid() < 0)
      throw errno_error(
          "start a new session (--setsid): entrypoint leads a process group here; add --init");
    start_command();
  }
  return supervise(
      o.supervise, start_command, [] { return exit_code_of_current_exception(); },
      [&] { prepare_supervisor(id); });
}

}  // namespace ballast::entrypoint
