#include "migrate/run.hpp"

#include <fmt/format.h>

#include <array>

#include "common/cli.hpp"
#include "common/error.hpp"
#include "common/file_secrets.hpp"
#include "common/program.hpp"
#include "migrate/commands.hpp"
#include "migrate/config.hpp"

namespace ballast::migrate {
namespace {

constexpr ProgramInfo kInfo{
    "migrate",
    "migrate [options] COMMAND [ARGS]",
    "Applies reviewed, hand-written SQL migrations to SQLite or PostgreSQL.\n\n"
    "commands:\n"
    "  apply                 apply pending migrations (each in its own transaction) under a lock\n"
    "  status                one row per migration: applied, pending, failed, changed, missing, "
    "refused\n"
    "  plan                  what apply would do and every policy verdict; changes nothing\n"
    "  verify                offline checks for CI: names, review ledger, generated files, syntax\n"
    "  review FILE...|--all  record reviewed files in reviewed.sum (not in prod)\n"
    "  new NAME              create the next migration file (not in prod)\n"
    "  pin ID                write a module's folder digest into the modules file (not in prod)\n"
    "  adopt --from TOOL     take over dbmate/golang-migrate/flyway/prisma/drizzle history\n"
    "  resolve VERSION --applied|--rolled-back   clear a failed no-transaction migration",
    "exit codes: 0 ok; 1 status --exit-code found work; 64 usage; 65 a migration, its review or\n"
    "its files are bad (nothing applied); 69 database unavailable; 75 lock timeout; 78\n"
    "configuration refused. See docs/migrate.md.",
};

constexpr std::array<cli::Option, 19> kOptions{{
    {"database", 'd', "URL", "DATABASE_URL",
     "postgres://... or sqlite:PATH (or a file named by DATABASE_URL_FILE; default outside "
     "prod: sqlite:./data/app.sqlite3)"},
    {"dir", 0, "DIR", "MIGRATIONS_DIR", "the migrations folder (default ./migrations)"},
    {"table", 0, "NAME", "MIGRATE_TABLE", "history table (default ballast_schema_history)"},
    {"wait-timeout", 0, "DURATION", "MIGRATE_WAIT_TIMEOUT",
     "retry connecting this long (default 0: once)"},
    {"lock-timeout", 0, "DURATION", "MIGRATE_LOCK_TIMEOUT",
     "wait this long for another runner's lock (default 5m)"},
    {"allow-changed", 0, "", "MIGRATE_ALLOW_CHANGED",
     "apply even though an applied file changed since"},
    {"allow-out-of-order", 0, "", "MIGRATE_ALLOW_OUT_OF_ORDER",
     "apply a version below the highest applied one"},
    {"single-transaction", 0, "", "MIGRATE_SINGLE_TRANSACTION",
     "apply: all pending files in one transaction"},
    {"json", 0, "", "", "status: print one JSON array"},
    {"exit-code", 0, "", "", "status: exit 1 when anything is not applied"},
    {"dialect", 0, "postgres|sqlite", "MIGRATE_DIALECT",
     "verify: the SQL dialect (default: the URL's, else sqlite)"},
    {"all", 0, "", "", "review: every migration file"},
    {"applied", 0, "", "", "resolve: the failed migration was completed by hand"},
    {"rolled-back", 0, "", "", "resolve: the failed migration was undone by hand; it runs again"},
    {"modules", 0, "FILE", "MIGRATE_MODULES", "modules file (default ./modules.json when present)"},
    {"module", 0, "ID", "MIGRATE_MODULE", "limit the run to this module's migrations"},
    {"allow-prerelease", 0, "", "MIGRATE_ALLOW_PRERELEASE",
     "accept module tags such as v1.2.0-rc.1 in prod"},
    {"strict-pins", 0, "", "MIGRATE_STRICT_PINS",
     "in prod, every module needs a commit and a digest"},
    {"from", 0, "TOOL", "", "adopt: dbmate, golang-migrate, flyway, prisma or drizzle"},
}};

void no_arguments(const cli::Args& a) {
  if (a.positional.size() > 1)
    throw UsageError(
        fmt::format("{} takes no arguments, got '{}'", a.positional[0], a.positional[1]));
}

}  // namespace

int run(std::span<char* const> args, const Env& process_env) {
  // DATABASE_URL_FILE, as entrypoint would load it: a Kubernetes exec probe or a Job that runs
  // migrate without entrypoint still finds its database in the mounted secret.
  Env env = process_env;
  load_file_secret(env, "DATABASE_URL_FILE");
  const auto options = with_common_options(kOptions);
  const cli::Args parsed = cli::parse(options, args, env, cli::Positionals::kInterleaved);
  if (auto code = handle_common_options(kInfo, options, parsed, env)) return *code;
  if (parsed.positional.empty())
    throw UsageError(
        "no command given: use apply, status, plan, verify, review, new, pin, adopt or resolve "
        "(see "
        "--help)");
  const std::string& command = parsed.positional[0];
  const std::vector<std::string> rest(parsed.positional.begin() + 1, parsed.positional.end());
  if (command == "apply") {
    no_arguments(parsed);
    return apply_command(resolve_config(parsed, env));
  }
  if (command == "status") {
    no_arguments(parsed);
    return status_command(resolve_config(parsed, env), parsed.flag("json"),
                          parsed.flag("exit-code"));
  }
  if (command == "plan") {
    no_arguments(parsed);
    return plan_command(resolve_config(parsed, env));
  }
  if (command == "verify") {
    no_arguments(parsed);
    const Config c = resolve_config(parsed, env, false);
    std::string dialect = c.target.backend == Backend::kPostgres ? "postgres" : "sqlite";
    if (auto v = parsed.value("dialect")) dialect = *v;
    if (dialect != "postgres" && dialect != "sqlite")
      throw UsageError(fmt::format("invalid {} '{}': use postgres or sqlite",
                                   parsed.source("dialect"), dialect));
    return verify_command(c, dialect);
  }
  if (command == "review")
    return review_command(resolve_config(parsed, env, false), rest, parsed.flag("all"));
  if (command == "new") {
    if (rest.size() != 1) throw UsageError("new takes one NAME, e.g. migrate new add_users_email");
    return new_command(resolve_config(parsed, env, false), rest[0]);
  }
  if (command == "adopt") {
    no_arguments(parsed);
    const auto from = parsed.value("from");
    if (!from) throw UsageError("adopt needs --from dbmate|golang-migrate|flyway|prisma|drizzle");
    return adopt_command(resolve_config(parsed, env), *from);
  }
  if (command == "pin") {
    if (rest.size() != 1) throw UsageError("pin takes one module ID, e.g. migrate pin billing");
    return pin_command(resolve_config(parsed, env, false), rest[0]);
  }
  if (command == "resolve") {
    if (rest.size() != 1 || parsed.flag("applied") == parsed.flag("rolled-back"))
      throw UsageError("resolve takes VERSION and one of --applied or --rolled-back");
    return resolve_command(resolve_config(parsed, env), rest[0], parsed.flag("applied"));
  }
  throw UsageError(
      fmt::format("unknown command '{}': use apply, status, plan, verify, review, new, pin or "
                  "resolve (see --help)",
                  command));
}

}  // namespace ballast::migrate
