#include "entrypoint/options.hpp"

#include <fmt/format.h>

#include <array>

#include "common/build_info.hpp"
#include "common/cli.hpp"
#include "common/duration.hpp"
#include "common/error.hpp"
#include "common/log.hpp"
#include "common/net/probe.hpp"
#include "common/program.hpp"
#include "common/text.hpp"
#include "entrypoint/signals.hpp"

namespace ballast::entrypoint {
namespace {

// For --version: what entrypoint links beyond the common libraries.
std::string libraries() {
  return fmt::format("libcap {}, Boost {}", BALLAST_LIBCAP_VERSION, boost_version());
}

constexpr ProgramInfo kInfo{
    "entrypoint",
    "entrypoint [options] [--] COMMAND [ARG...]",
    "Container ENTRYPOINT: loads *_FILE secrets, checks the production policy, gives data\n"
    "directories to the app user, drops root, then runs COMMAND in its place.",
    "exit codes: COMMAND's own; 64 usage; 71 privilege drop failed; 78 configuration refused;\n"
    "126 not executable; 127 not found. See docs/entrypoint.md.",
    &libraries,
};

constexpr std::array<cli::Option, 25> kOptions{{
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
    {"stop-delay", 0, "DURATION", "ENTRYPOINT_STOP_DELAY",
     "hold SIGTERM/SIGINT this long before forwarding (load balancers drain); a second one "
     "goes at once"},
    {"wait", 0, "URL", "ENTRYPOINT_WAIT",
     "wait for tcp://, http(s)://, unix://, redis://, grpc:// or a database URL to come up "
     "first (env: space-separated)",
     true, ' '},
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

}  // namespace

std::optional<Options> parse_options(std::span<char* const> args, const Env& env) {
  const auto options = with_common_options(kOptions);
  const cli::Args a = cli::parse(options, args, env, cli::Positionals::kStopAtFirst);
  if (handle_common_options(kInfo, options, a, env)) return std::nullopt;
  if (a.flag("verbose") && !a.value("log-level")) log::set_level(log::Level::kDebug);
  Options o;
  o.mode = resolve_mode(a.value("mode"), env);
  o.command = a.positional;
  if (o.command.empty()) throw UsageError("no command given: put it after '--'");
  o.user = a.value("user");
  o.chown = a.values("chown");
  o.chown_cross_mounts = a.flag("chown-cross-mounts");
  o.make_missing = !a.flag("no-mkdir");
  for (const auto& name : a.values("keep-cap")) o.drop.keep_caps.push_back(parse_capability(name));
  o.drop.no_new_privs = !a.flag("allow-new-privs");
  o.allow_root = a.flag("allow-root");
  o.load_file_secrets = !a.flag("no-file-secrets");
  o.file_secret_skip = a.values("file-secret-skip");
  o.policy = a.value("policy");
  o.init = a.flag("init");
  SuperviseOptions& sup = o.supervise;
  sup.single_child = a.flag("single-child");
  if (sup.single_child && a.flag("process-group"))
    throw UsageError(
        "-g signals the whole process group and --single-child only COMMAND: give one");
  sup.new_session = a.flag("setsid");
  sup.rewrite = parse_rewrites(a.values("rewrite"), "--rewrite");
  sup.remap_exit = parse_exit_remaps(a.values("remap-exit"), "--remap-exit");
  for (const auto& code : a.values("expect-exit"))  // tini -e CODE: exit CODE counts as 0
    sup.remap_exit.merge(parse_exit_remaps({code + ":0"}, "-e"));
  if (auto v = a.value("grace")) sup.grace = parse_duration(*v, a.source("grace"));
  if (auto v = a.value("stop-delay")) {
    sup.stop_delay = parse_duration(*v, a.source("stop-delay"));
    // Docker gives 10s between SIGTERM and SIGKILL, Kubernetes 30s by default: a delay that
    // eats the whole period leaves the app no time to stop cleanly.
    if (sup.stop_delay > kMaxStopDelay)
      throw UsageError(
          fmt::format("invalid {} '{}': at most {}s, so the app still has time to stop within the "
                      "platform's grace period (Kubernetes: 30s by default)",
                      a.source("stop-delay"), shown(*v), kMaxStopDelay.count()));
  }
  o.wait.targets = probe::targets_of(a, "wait", env, "ENTRYPOINT_WAIT");
  if (auto v = a.value("wait-timeout"))
    o.wait.timeout = parse_duration(*v, a.source("wait-timeout"));
  if (auto v = a.value("wait-interval"))
    o.wait.interval = parse_interval(*v, a.source("wait-interval"));
  validate_wait_targets(o.wait.targets);
  return o;
}

}  // namespace ballast::entrypoint
