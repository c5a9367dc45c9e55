#include "migrate/run.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdio>

#include "common/cli.hpp"
#include "common/duration.hpp"
#include "common/error.hpp"
#include "common/file_secrets.hpp"
#include "common/parse.hpp"
#include "common/program.hpp"
#include "common/text.hpp"
#include "migrate/commands.hpp"
#include "migrate/config.hpp"
#include "migrate/workspace.hpp"

namespace ballast::migrate {
namespace {

constexpr ProgramInfo kInfo{
    "migrate",
    "migrate [options] COMMAND [ARGS]",
    "Applies reviewed, hand-written SQL migrations to SQLite or PostgreSQL.\n\n"
    "commands (migrate COMMAND --help for each):\n"
    "  apply                 apply pending migrations (each in its own transaction) under a lock\n"
    "  status                one row per migration: applied, pending, failed, changed, missing,\n"
    "                        ahead, refused; --exit-code makes it a readiness check\n"
    "  wait                  block until this image's migrations are applied (app replicas)\n"
    "  plan                  what apply would do and every policy verdict; changes nothing\n"
    "  verify                offline checks for CI: names, review ledger, generated files, syntax\n"
    "  review FILE...|--all  record reviewed files in reviewed.sum (not in prod)\n"
    "  new NAME              create the next migration file (not in prod)\n"
    "  pin ID                write a module's folder digest into the modules file (not in prod)\n"
    "  adopt --from TOOL     take over dbmate/golang-migrate/flyway/prisma/drizzle history\n"
    "  resolve VERSION --applied|--rolled-back   clear a failed no-transaction migration\n"
    "  version               the highest applied version\n"
    "Other tools' words work too: up and migrate (apply), create (new), --dry-run (plan),\n"
    "-path/-source and --migrations-dir (--dir), -database and --url (--database).",
    "exit codes: 0 ok; 1 status --exit-code: not ready; 64 usage; 65 a migration, its review or\n"
    "its files are bad (nothing applied); 69 database unavailable; 75 lock or wait timeout; 78\n"
    "configuration refused. See docs/migrate.md.",
    &libraries,
};

// One command: its spellings, its help, and the options that matter to it.
struct Command {
  std::string_view name;
  std::string_view also;  // other tools' verbs for it
  std::string_view args;
  std::string_view summary;
  std::string_view options;  // space-separated option names shown in its --help
  bool database = false;     // opens the database (so --database and friends apply; in prod
                             // a URL is required); the others work offline, also in prod
};

constexpr std::string_view kDb = "database wait-timeout table modules module";

constexpr std::array<Command, 13> kCommands{{
    {"apply", "up migrate", "",
     "Applies every pending migration in version order, each file in its own transaction with\n"
     "its history row, under a lock: many replicas may run it at once. In prod it refuses,\n"
     "before writing anything, unreviewed, changed or generated files.",
     "dir format lock-timeout allow-changed allow-out-of-order single-transaction dry-run "
     "allow-prerelease strict-pins pg-lock-timeout pg-statement-timeout pg-lock-retries "
     "schema-file backup backup-keep",
     true},
    {"status", "", "",
     "One row per migration: applied, pending, failed, changed, missing, refused, or ahead\n"
     "(applied by a newer release during a rolling update). With --exit-code it is a readiness\n"
     "check: exit 1 only when one of this image's own files is pending, failed, changed or\n"
     "refused.",
     "dir format json exit-code", true},
    {"wait", "", "",
     "Blocks until every migration of this image is applied: for app replicas that must not\n"
     "start before the release job. Exit 0; 69 when the database never answered, 75 when\n"
     "files are still pending at --timeout, 65 at once for a failed or changed migration.",
     "dir format timeout", true},
    {"plan", "", "",
     "What apply would do, file by file, and every policy verdict. Changes nothing.",
     "dir format json single-transaction", true},
    {"verify", "", "",
     "Offline checks for CI: file names, duplicate versions, the review ledger, generated files,\n"
     "syntax (PostgreSQL: libpg_query; SQLite: every file run on an empty database), and the\n"
     "lint of dangerous DDL (docs/lint/).",
     "dir format json dialect modules module lint-from"},
    {"review", "", "FILE...|--all",
     "Records the sha256 of reviewed, hand-written files in reviewed.sum. Not in prod.",
     "dir format all force"},
    {"new", "create", "NAME",
     "Creates the next migration file (the folder too, if missing). Not in prod.",
     "dir format ext"},
    {"pin", "", "ID", "Writes a module's folder digest into the modules file. Not in prod.",
     "modules"},
    {"adopt", "", "--from TOOL",
     "Records the history of dbmate, golang-migrate, goose, sqlx, diesel, prisma, drizzle,\n"
     "Flyway or popx as applied, running nothing.",
     "dir format from lock-timeout", true},
    {"resolve", "force", "VERSION --applied|--rolled-back",
     "Clears a no-transaction migration that failed part-way, after a person mended it.",
     "dir format applied rolled-back lock-timeout", true},
    {"version", "", "", "Prints the highest applied version of the application's migrations.", "",
     true},
    {"schema", "", "",
     "Prints the live schema as deterministic text, read from the database's own catalogs\n"
     "(no pg_dump needed). Changes nothing.",
     "", true},
    {"drift", "", "",
     "Compares the live schema with the one recorded at the last apply that changed something\n"
     "and lists what was added, removed or changed by hand. Exit 0: none; 1: drift.",
     "json", true},
}};

// Verbs of other tools that Ballast deliberately does not have, with what to do instead.
constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kRefusedVerbs{{
    {"down", "Ballast does not roll back: write a new migration that undoes the change"},
    {"rollback", "Ballast does not roll back: write a new migration that undoes the change"},
    {"redo", "Ballast does not roll back: write a new migration that undoes the change"},
    {"drop", "Ballast never drops a whole database: do that with psql or sqlite3"},
    {"goto", "Ballast only moves forward: apply, or write a new migration"},
    {"reset", "Ballast never drops a whole database: do that with psql or sqlite3"},
}};

const Command* find_command(std::string_view word) {
  for (const auto& c : kCommands) {
    if (c.name == word || contains_word(c.also, word)) return &c;
  }
  return nullptr;
}

[[noreturn]] void unknown_command(const std::string& word) {
  for (const auto& [verb, why] : kRefusedVerbs)
    if (verb == word) throw UsageError(fmt::format("'{}': {}", shown(word), why));
  std::vector<std::string_view> names;
  names.reserve(kCommands.size());
  for (const auto& c : kCommands) names.push_back(c.name);
  const std::string near = cli::closest(word, names);
  throw UsageError(fmt::format(
      "unknown command '{}': {}use apply, status, wait, plan, verify, review, new, pin, adopt, "
      "resolve, version, schema or drift (see --help)",
      shown(word), near.empty() ? "" : fmt::format("did you mean '{}'? ", near)));
}

// `migrate COMMAND --help`: the command's own usage and the options that matter to it.
int command_help(const Command& c, std::span<const cli::Option> options) {
  const std::string wanted = fmt::format("{} {} help log-level log-format mode {}", c.options,
                                         c.name, c.database ? kDb : "");
  std::vector<cli::Option> shown;
  for (const auto& o : options)
    if (contains_word(wanted, o.name)) shown.push_back(o);
  const std::string synopsis =
      fmt::format("migrate {} [options]{}{}", c.name, c.args.empty() ? "" : " ", c.args);
  std::string summary(c.summary);
  if (!c.also.empty()) summary += fmt::format("\nAlso spelled: {}.", c.also);
  const std::string text = cli::help_text(synopsis, summary, shown, kInfo.footer);
  std::fwrite(text.data(), 1, text.size(), stdout);
  return 0;
}

void no_arguments(const cli::Args& a) {
  if (a.positional.size() > 1)
    throw UsageError(fmt::format("{} takes no arguments, got '{}'", shown(a.positional[0]),
                                 shown(a.positional[1])));
}

int dispatch(const Command& c, const cli::Args& parsed, const Env& env) {
  const std::vector<std::string> rest(parsed.positional.begin() + 1, parsed.positional.end());
  const std::string_view name = c.name;
  const Config config = resolve_config(parsed, env, c.database);
  const OpenDatabase open = [&](bool writable) { return connect(config, writable); };
  if (name == "apply") {
    no_arguments(parsed);
    return config.dry_run ? plan_command(config, open, false) : apply_command(config, open);
  }
  if (name == "status") {
    no_arguments(parsed);
    return status_command(config, open, config.json, config.exit_code);
  }
  if (name == "wait") {
    no_arguments(parsed);
    return wait_command(config, open, config.timeout);
  }
  if (name == "plan") {
    no_arguments(parsed);
    return plan_command(config, open, config.json);
  }
  if (name == "verify") {
    no_arguments(parsed);
    return verify_command(config, config.json);
  }
  if (name == "review") return review_command(config, open, rest, config.all, config.force);
  if (name == "new") {
    if (rest.empty()) throw UsageError("new takes a NAME, e.g. migrate new add_users_email");
    std::string joined;
    for (const auto& w : rest) joined += (joined.empty() ? "" : " ") + w;
    return new_command(config, joined);
  }
  if (name == "adopt") {
    no_arguments(parsed);
    if (!config.from)
      throw UsageError("adopt needs --from dbmate|golang-migrate|flyway|prisma|drizzle");
    return adopt_command(config, open, *config.from);
  }
  if (name == "pin") {
    if (rest.size() != 1) throw UsageError("pin takes one module ID, e.g. migrate pin billing");
    return pin_command(config, rest[0]);
  }
  if (name == "resolve") {
    if (rest.size() != 1 || !config.resolution)
      throw UsageError("resolve takes VERSION and one of --applied or --rolled-back");
    return resolve_command(config, open, rest[0], *config.resolution);
  }
  no_arguments(parsed);
  if (name == "schema") return schema_command(config, open);
  if (name == "drift") return drift_command(config, open, config.json);
  return version_command(open);
}

}  // namespace

int run(std::span<char* const> args, const Env& process_env) {
  // DATABASE_URL_FILE, as entrypoint would load it: a Kubernetes exec probe or a Job that runs
  // migrate without entrypoint still finds its database in the mounted secret.
  Env env = process_env;
  load_file_secret(env, "DATABASE_URL_FILE");
  const auto options = with_common_options(config_options());
  cli::Args parsed = cli::parse(options, args, env, cli::Positionals::kInterleaved);
  // `migrate help apply` is `migrate apply --help`.
  if (!parsed.positional.empty() && parsed.positional[0] == "help") {
    parsed.positional.erase(parsed.positional.begin());
    parsed.add("help", "1", "--help");
  }
  const Command* command = parsed.positional.empty() ? nullptr : find_command(parsed.positional[0]);
  if (command != nullptr && parsed.flag("help")) return command_help(*command, options);
  if (auto code = handle_common_options(kInfo, options, parsed, env)) return *code;
  if (parsed.positional.empty())
    throw UsageError(
        "no command given: use apply, status, wait, plan, verify, review, new, pin, adopt, "
        "resolve, version, schema or drift (see --help)");
  if (command == nullptr) unknown_command(parsed.positional[0]);
  return dispatch(*command, parsed, env);
}

}  // namespace ballast::migrate
