#include "migrate/run.hpp"

#include <fmt/format.h>

#include <array>

#include "common/cli.hpp"
#include "common/error.hpp"
#include "common/program.hpp"
#include "migrate/commands.hpp"
#include "migrate/config.hpp"

namespace ballast::migrate {
namespace {

constexpr ProgramInfo kInfo{
    "migrate",
    "migrate [options] COMMAND",
    "Applies hand-written SQL migrations to SQLite or PostgreSQL.\n\n"
    "commands:\n"
    "  apply     apply pending migrations, each in its own transaction, under a lock\n"
    "  status    one row per migration: applied, pending, failed, changed or missing",
    "exit codes: 0 ok; 1 status --exit-code found work; 64 usage; 65 a migration or its files\n"
    "are bad; 69 database unavailable; 75 lock timeout; 78 configuration refused.\n"
    "See docs/migrate.md.",
};

constexpr std::array<cli::Option, 8> kOptions{{
    {"database", 'd', "URL", "DATABASE_URL",
     "postgres://… or sqlite:PATH (default outside prod: sqlite:./data/app.sqlite3)"},
    {"dir", 0, "DIR", "MIGRATIONS_DIR", "the migrations folder (default ./migrations)"},
    {"table", 0, "NAME", "MIGRATE_TABLE", "history table (default ballast_schema_history)"},
    {"wait-timeout", 0, "DURATION", "MIGRATE_WAIT_TIMEOUT",
     "retry connecting this long (default 0: once)"},
    {"lock-timeout", 0, "DURATION", "MIGRATE_LOCK_TIMEOUT",
     "wait this long for another runner's lock (default 5m)"},
    {"allow-changed", 0, "", "MIGRATE_ALLOW_CHANGED",
     "apply even though an applied file changed since"},
    {"json", 0, "", "", "status: print one JSON array"},
    {"exit-code", 0, "", "", "status: exit 1 when anything is not applied"},
}};

}  // namespace

int run(std::span<char* const> args, const Env& env) {
  const auto options = with_common_options(kOptions);
  const cli::Args parsed = cli::parse(options, args, env, cli::Positionals::kInterleaved);
  if (auto code = handle_common_options(kInfo, options, parsed)) return *code;
  if (parsed.positional.empty())
    throw UsageError("no command given: use apply or status (see --help)");
  const std::string& command = parsed.positional[0];
  if (parsed.positional.size() > 1)
    throw UsageError(fmt::format("{} takes no arguments, got '{}'", command, parsed.positional[1]));
  if (command == "apply") return apply_command(resolve_config(parsed, env));
  if (command == "status")
    return status_command(resolve_config(parsed, env), parsed.flag("json"),
                          parsed.flag("exit-code"));
  throw UsageError(fmt::format("unknown command '{}': use apply or status (see --help)", command));
}

}  // namespace ballast::migrate
