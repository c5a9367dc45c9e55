#include "entrypoint/run.hpp"

#include <fmt/format.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/cli.hpp"
#include "common/duration.hpp"
#include "common/error.hpp"
#include "common/exit_code.hpp"
#include "common/fd.hpp"
#include "common/file_secrets.hpp"
#include "common/file_system.hpp"
#include "common/log.hpp"
#include "common/mode.hpp"
#include "common/program.hpp"
#include "common/run_main.hpp"
#include "entrypoint/chown_tree.hpp"
#include "entrypoint/exec.hpp"
#include "entrypoint/identity.hpp"
#include "entrypoint/policy.hpp"
#include "entrypoint/privileges.hpp"
#include "entrypoint/signals.hpp"
#include "entrypoint/supervisor.hpp"
#include "entrypoint/wait.hpp"

namespace ballast::entrypoint {
namespace {

constexpr ProgramInfo kInfo{
    "entrypoint",
    "entrypoint [options] [--] COMMAND [ARG...]",
    "Container ENTRYPOINT: loads *_FILE secrets, checks the production policy, gives data\n"
    "directories to the app user, drops root, then runs COMMAND in its place.",
    "exit codes: COMMAND's own; 64 usage; 71 privilege drop failed; 78 configuration refused;\n"
    "126 not executable; 127 not found. See docs/entrypoint.md.",
};

constexpr std::array<cli::Option, 24> kOptions{{
    {"user", 'u', "SPEC", "ENTRYPOINT_USER", "run COMMAND as NAME, UID, NAME:GROUP or UID:GID"},
    {"chown", 0, "PATH", "ENTRYPOINT_CHOWN",
     "give PATH and all below it to the user (env: colon-separated)", true, ':'},
    {"chown-cross-mounts", 0, "", "ENTRYPOINT_CHOWN_CROSS_MOUNTS",
     "--chown also walks into other mounts below PATH"},
    {"no-mkdir", 0, "", "ENTRYPOINT_NO_MKDIR", "do not create a missing --chown PATH"},
    {"keep-cap", 0, "NAME", "ENTRYPOINT_KEEP_CAPS",
     "keep this capability as ambient, e.g. net_bind_service (env: comma-separated)", true, ','},
    {"allow-new-privs", 0, "", "ENTRYPOINT_ALLOW_NEW_PRIVS",
     "leave no_new_privs off (setuid helpers such as ping, su)"},
    {"allow-root", 0, "", "ENTRYPOINT_ALLOW_ROOT", "in prod, allow COMMAND to run as root"},
    {"no-file-secrets", 0, "", "ENTRYPOINT_NO_FILE_SECRETS",
     "do not load NAME_FILE variables into NAME"},
    {"file-secret-skip", 0, "NAME_FILE", "ENTRYPOINT_FILE_SECRET_SKIP",
     "leave this NAME_FILE variable alone (env: comma-separated)", true, ','},
    {"policy", 0, "FILE", "ENTRYPOINT_POLICY",
     "production preflight policy (JSON); failures refuse the start in prod"},
    {"setsid", 0, "", "ENTRYPOINT_SETSID", "run COMMAND in a new session, without root's terminal"},
    {"init", 0, "", "ENTRYPOINT_INIT",
     "stay as a supervisor even when not PID 1 (as a child subreaper; tini's -s)", false, 0,
     "s subreaper"},
    {"single-child", 0, "", "ENTRYPOINT_SINGLE_CHILD",
     "forward signals to COMMAND only, not its process group (dumb-init's -c)", false, 0, "c"},
    {"rewrite", 0, "SIG:SIG", "ENTRYPOINT_REWRITE",
     "forward signal SIG as another, e.g. TERM:QUIT or 15:3 (env: comma-separated)", true, ',',
     "r"},
    {"remap-exit", 0, "CODE:CODE", "ENTRYPOINT_REMAP_EXIT",
     "exit with the second code when COMMAND exits with the first, e.g. 143:0", true, ','},
    {"grace", 0, "DURATION", "ENTRYPOINT_GRACE",
     "after COMMAND exits, SIGKILL its group's leftovers after this (default 5s)"},
    {"wait", 0, "URL", "ENTRYPOINT_WAIT",
     "wait for tcp://, http(s):// or unix:// to come up first (env: space-separated)", true, ' '},
    {"wait-timeout", 0, "DURATION", "ENTRYPOINT_WAIT_TIMEOUT",
     "give up waiting after this, exit 69 (default 60s)"},
    {"wait-interval", 0, "DURATION", "ENTRYPOINT_WAIT_INTERVAL",
     "first pause between tries, doubling to 5s (default 1s)"},
    // tini's and dumb-init's own flags, meaning here what they mean there.
    {"process-group", 'g', "", "", "", false, 0, "kill-process-group"},  // the default
    {"expect-exit", 'e', "CODE", "", "", true, 0, "expect-exit-code"},   // --remap-exit CODE:0
    {"verbose", 'v', "", "", "", false, 0, "w"},                         // --log-level debug
    {"parent-death-signal",
     'p',
     "SIG",
     "",
     "",
     false,
     0,
     {},
     "tini's parent-death signal has no equivalent: as PID 1 entrypoint outlives nothing; "
     "outside, run it under --init"},
    {"license",
     'l',
     "",
     "",
     "",
     false,
     0,
     {},
     "the licences are in /usr/share/licenses/ballast/ of the Ballast image"},
}};

void run_preflight(const std::string& policy_path, const Env& env, const ResolvedMode& mode) {
  const Policy policy = parse_policy(read_file(policy_path), policy_path);
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

void give_paths(const std::vector<std::string>& paths, const Identity& id, const cli::Args& args) {
  ChownOptions o;
  o.uid = id.uid;
  o.gid = id.gid;
  o.cross_mounts = args.flag("chown-cross-mounts");
  o.make_missing = !args.flag("no-mkdir");
  o.threads = walker_threads();
  for (const auto& path : paths) {
    ChownReport r;
    try {
      r = chown_tree(real_file_system(), path, o);
    } catch (const std::system_error& e) {
      log::warn("--chown {}: {}; starting anyway", path, e.what());
      continue;
    }
    for (const auto& w : r.warnings) log::warn("--chown {}: {}", path, w);
    log::with(
        {{"path", path},
         {"examined", r.examined},
         {"changed", r.changed},
         {"skipped", r.skipped},
         {"duration_ms", std::chrono::duration_cast<std::chrono::milliseconds>(r.elapsed).count()}})
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
  const auto options = with_common_options(kOptions);
  const cli::Args parsed = cli::parse(options, args, process_env, cli::Positionals::kStopAtFirst);
  if (auto code = handle_common_options(kInfo, options, parsed, process_env)) return *code;
  if (parsed.flag("verbose") && !parsed.value("log-level")) log::set_level(log::Level::kDebug);
  const ResolvedMode mode = resolve_mode(parsed.value("mode"), process_env);
  if (parsed.positional.empty()) throw UsageError("no command given: put it after '--'");

  // Validate every option before anything changes on disk or in the process.
  DropOptions drop;
  for (const auto& name : parsed.values("keep-cap"))
    drop.keep_caps.push_back(parse_capability(name));
  drop.no_new_privs = !parsed.flag("allow-new-privs");
  SuperviseOptions sup;
  sup.single_child = parsed.flag("single-child");
  if (sup.single_child && parsed.flag("process-group"))
    throw UsageError(
        "-g signals the whole process group and --single-child only COMMAND: give one");
  sup.new_session = parsed.flag("setsid");
  sup.rewrite = parse_rewrites(parsed.values("rewrite"), "--rewrite");
  sup.remap_exit = parse_exit_remaps(parsed.values("remap-exit"), "--remap-exit");
  for (const auto& code : parsed.values("expect-exit"))  // tini -e CODE: exit CODE counts as 0
    sup.remap_exit.merge(parse_exit_remaps({code + ":0"}, "-e"));
  if (auto v = parsed.value("grace")) sup.grace = parse_duration(*v, parsed.source("grace"));
  WaitOptions wait;
  wait.targets = parsed.values("wait");
  if (auto v = parsed.value("wait-timeout"))
    wait.timeout = parse_duration(*v, parsed.source("wait-timeout"));
  if (auto v = parsed.value("wait-interval"))
    wait.interval = parse_duration(*v, parsed.source("wait-interval"));
  validate_wait_targets(wait.targets);
  const bool supervising = should_supervise(parsed.flag("init"));

  Env env = process_env;
  // Secrets first: they are read as root (files may be mode 0400 root) and the preflight
  // must see them.
  if (!parsed.flag("no-file-secrets")) {
    const auto loaded = load_file_secrets(env, read_secret_file, parsed.values("file-secret-skip"));
    if (!loaded.empty()) log::info("loaded {} from files", fmt::join(loaded, ", "));
  }
  if (auto policy = parsed.value("policy")) run_preflight(*policy, env, mode);

  const uid_t euid = ::geteuid();
  const auto user = parsed.value("user");
  std::optional<Identity> id;
  if (euid != 0) {
    if (user || !parsed.values("chown").empty())
      log::info("running as uid {} (not root): no privilege drop, no ownership changes", euid);
  } else if (!user) {
    if (mode.mode == Mode::kProd && !parsed.flag("allow-root"))
      throw ConfigError(
          fmt::format("refusing to run {} as root in prod (mode from {}): pass --user NAME "
                      "(or --allow-root if it drops privileges itself)",
                      parsed.positional[0], mode.source));
    if (!parsed.values("chown").empty())
      log::warn("--chown without --user: nothing to give the paths to; skipped");
  } else {
    id = resolve_user(*user, load_user_db());
    give_paths(parsed.values("chown"), *id, parsed);
  }
  if (!wait.targets.empty()) wait_for_dependencies(wait);
  // Started as non-root there is nothing to drop, but no setuid binary may raise us either.
  // Set before any fork, so COMMAND and a supervisor both carry it.
  if (euid != 0 && drop.no_new_privs) forbid_new_privileges();

  const auto start_command = [&] {
    if (id) {
      drop_privileges(*id, drop);
      set_identity_env(*id, env);
    }
    exec_command(parsed.positional, env);
  };
  if (!supervising) {
    // In place: no process stays behind, nothing to supervise.
    if (sup.new_session && ::setsid() < 0)
      throw errno_error(
          "start a new session (--setsid): entrypoint leads a process group here; add --init");
    start_command();
  }
  return supervise(
      sup, start_command, [] { return exit_code_of_current_exception(); },
      [&] { prepare_supervisor(id); });
}

}  // namespace ballast::entrypoint
