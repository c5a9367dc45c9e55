#include "migrate/config.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "common/duration.hpp"
#include "common/error.hpp"
#include "common/log.hpp"
#include "common/parse.hpp"
#include "common/secret.hpp"
#include "common/text.hpp"

namespace ballast::migrate {
namespace {

bool is_identifier(std::string_view s) {
  if (s.empty() || s.size() > 63 || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

constexpr std::array<cli::Option, 32> kOptions{{
    {"database", 'd', "URL", "DATABASE_URL",
     "postgres://..., a libpq 'host=... dbname=...' string, or sqlite:PATH (or a file named by "
     "DATABASE_URL_FILE; default outside prod: sqlite:./data/app.sqlite3)",
     false, 0, "url database-url"},
    {"dir", 0, "DIR", "MIGRATIONS_DIR", "the migrations folder (default ./migrations)", false, 0,
     "path source migrations-dir"},
    {"format", 0, "TOOL", "MIGRATIONS_FORMAT",
     "the folder's layout: auto (default: every tool's names at once), ballast, dbmate, "
     "golang-migrate, goose, sqlx, diesel, prisma, drizzle, flyway or popx"},
    {"table", 0, "NAME", "MIGRATE_TABLE", "history table (default ballast_schema_history)"},
    {"wait-timeout", 0, "DURATION", "MIGRATE_WAIT_TIMEOUT",
     "retry connecting this long (default 0: once)"},
    {"lock-timeout", 0, "DURATION", "MIGRATE_LOCK_TIMEOUT",
     "wait this long for another runner's lock (default 5m)"},
    {"pg-lock-timeout", 0, "DURATION", "MIGRATE_PG_LOCK_TIMEOUT",
     "apply: PostgreSQL's lock_timeout for each file's statements, so DDL queued behind a long "
     "transaction gives up instead of blocking every query (default 5s; 0: none)"},
    {"pg-statement-timeout", 0, "DURATION", "MIGRATE_PG_STATEMENT_TIMEOUT",
     "apply: PostgreSQL's statement_timeout for each file's statements (default 0: none)"},
    {"pg-lock-retries", 0, "N", "MIGRATE_PG_LOCK_RETRIES",
     "apply: run a file again this many times when its lock_timeout expires, with backoff "
     "(default 3)"},
    {"lint-from", 0, "VERSION", "MIGRATE_LINT_FROM",
     "verify: lint only files from this version on (the older ones are applied everywhere)"},
    {"schema-file", 0, "FILE", "MIGRATE_SCHEMA_FILE",
     "apply: write the schema to FILE after every apply that changed something"},
    {"backup", 0, "DIR", "MIGRATE_BACKUP_DIR",
     "apply on SQLite: an online copy of the database in DIR before the first pending file "
     "runs"},
    {"backup-keep", 0, "N", "MIGRATE_BACKUP_KEEP", "apply: keep the last N copies (default 5)"},
    {"allow-changed", 0, "", "MIGRATE_ALLOW_CHANGED",
     "apply even though an applied file changed since"},
    {"allow-out-of-order", 0, "", "MIGRATE_ALLOW_OUT_OF_ORDER",
     "apply a version below the highest applied one"},
    {"single-transaction", 0, "", "MIGRATE_SINGLE_TRANSACTION",
     "apply: all pending files in one transaction"},
    {"dry-run", 0, "", "", "apply: say what would be done, as plan does; change nothing"},
    {"json", 0, "", "", "status, plan, verify: print one JSON document"},
    {"exit-code", 0, "", "", "status: exit 1 unless this image's migrations are all applied"},
    {"timeout", 0, "DURATION", "MIGRATE_TIMEOUT", "wait: give up after this (default 5m)"},
    {"dialect", 0, "postgres|sqlite", "MIGRATE_DIALECT",
     "verify: the SQL dialect (default: the URL's, else what the folder says: prisma's or "
     "drizzle's provider; else sqlite)"},
    {"all", 0, "", "", "review: every migration file"},
    {"force", 0, "", "", "review: re-record a file even though it changed after it was applied"},
    {"applied", 0, "", "", "resolve: the failed migration was completed by hand"},
    {"rolled-back", 0, "", "", "resolve: the failed migration was undone by hand; it runs again"},
    {"modules", 0, "FILE", "MIGRATE_MODULES", "modules file (default ./modules.json when present)"},
    {"module", 0, "ID", "MIGRATE_MODULE", "limit the run to this module's migrations"},
    {"allow-prerelease", 0, "", "MIGRATE_ALLOW_PRERELEASE",
     "accept module tags such as v1.2.0-rc.1 in prod"},
    {"strict-pins", 0, "", "MIGRATE_STRICT_PINS",
     "in prod, every module needs a commit and a digest"},
    {"from", 0, "TOOL", "",
     "adopt: dbmate, golang-migrate, goose, sqlx, diesel, prisma, drizzle, flyway or popx"},
    // Habits of golang-migrate and dbmate: accepted, meaning what they mean there.
    {"ext", 0, "EXT", "", "", false, 0, {}, {}},
    {"wait-for-database", 0, "", "", "", false, 0, "wait"},
}};

// The option `name` as a whole number in [min, max], or nullopt when it is not given; anything
// else is a UsageError naming where it came from.
std::optional<unsigned> whole_number(const cli::Args& args, std::string_view name, unsigned min,
                                     unsigned max) {
  const auto v = args.value(name);
  if (!v) return std::nullopt;
  const auto n = parse_uint<unsigned>(*v, min, max);
  if (!n)
    throw UsageError(fmt::format("invalid {} '{}': use a whole number from {} to {}",
                                 args.source(name), shown(*v), min, max));
  return n;
}

std::string host_name() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "unknown-host";
  return buf;
}

}  // namespace

std::span<const cli::Option> config_options() { return kOptions; }

Config resolve_config(const cli::Args& args, const Env& env, bool need_database) {
  Config c;
  c.mode = resolve_mode(args.value("mode"), env);
  if (auto url = args.value("database")) {
    c.target = parse_database_url(*url, args.source("database"));
    c.url_given = true;
    if (auto pw = c.target.conn.get("password")) secret::register_value(*pw);
    for (const auto& note : c.target.conn.notes) log::info("{}: {}", args.source("database"), note);
  } else if (c.mode.mode == Mode::kProd && need_database) {
    throw ConfigError(fmt::format(
        "no database given in prod mode (mode from {}): set DATABASE_URL or pass --database; "
        "the embedded SQLite default is for development only",
        c.mode.source));
  } else {
    c.target = parse_database_url(fmt::format("sqlite:{}", kEmbeddedDefault), "the default");
    c.embedded_default = true;
  }
  if (auto v = args.value("dir")) {
    // golang-migrate's -source names the folder as a URL: file://migrations.
    c.dir = v->starts_with("file://") ? v->substr(7) : *v;
    if (c.dir.empty()) c.dir = ".";
  }
  if (auto v = args.value("table")) {
    const auto dot = v->find('.');
    const bool ok = dot == std::string::npos
                        ? is_identifier(*v)
                        : is_identifier(std::string_view(*v).substr(0, dot)) &&
                              is_identifier(std::string_view(*v).substr(dot + 1));
    if (!ok || (dot != std::string::npos && c.target.backend == Backend::kSqlite))
      throw UsageError(
          fmt::format("invalid {} '{}': use letters, digits and _ (PostgreSQL also SCHEMA.TABLE)",
                      args.source("table"), shown(*v)));
    c.history.table = *v;
  }
  if (auto v = args.value("wait-timeout"))
    c.wait_timeout = parse_duration(*v, args.source("wait-timeout"));
  else if (args.flag("wait-for-database"))
    c.wait_timeout = std::chrono::minutes(1);  // dbmate's --wait: one minute unless told
  if (auto v = args.value("lock-timeout"))
    c.lock_timeout = parse_duration(*v, args.source("lock-timeout"));
  if (auto v = args.value("pg-lock-timeout"))
    c.pg_lock_timeout = parse_duration(*v, args.source("pg-lock-timeout"));
  if (auto v = args.value("pg-statement-timeout"))
    c.pg_statement_timeout = parse_duration(*v, args.source("pg-statement-timeout"));
  c.pg_lock_retries = whole_number(args, "pg-lock-retries", 0, 100).value_or(c.pg_lock_retries);
  if (auto v = args.value("lint-from")) {
    c.lint_from = Version::parse(*v);
    if (!c.lint_from)
      throw UsageError(
          fmt::format("invalid {} '{}': use a migration version (20240101120000, 7, "
                      "1.10)",
                      args.source("lint-from"), shown(*v)));
  }
  c.schema_file = args.value("schema-file");
  c.backup_dir = args.value("backup");
  c.backup_keep = whole_number(args, "backup-keep", 1, 1000).value_or(c.backup_keep);
  c.allow_changed = args.flag("allow-changed");
  c.allow_out_of_order = args.flag("allow-out-of-order");
  c.single_transaction = args.flag("single-transaction");
  c.modules_path = args.value("modules");
  c.only_module = args.value("module");
  c.allow_prerelease = args.flag("allow-prerelease");
  c.strict_pins = args.flag("strict-pins");
  c.history.applied_by = fmt::format("{} (ballast {})", host_name(), BALLAST_VERSION);
  // What individual commands take (see the command table in run.cpp).
  c.json = args.flag("json");
  c.exit_code = args.flag("exit-code");
  c.dry_run = args.flag("dry-run");
  c.all = args.flag("all");
  c.force = args.flag("force");
  if (args.flag("applied") != args.flag("rolled-back")) c.resolution = args.flag("applied");
  if (auto v = args.value("timeout")) c.timeout = parse_duration(*v, args.source("timeout"));
  c.dialect = c.target.backend == Backend::kPostgres && c.url_given ? "postgres" : "sqlite";
  c.dialect_given = c.url_given;
  if (auto v = args.value("dialect")) {
    c.dialect_given = true;
    c.dialect = *v == "postgresql" ? "postgres" : *v;
    if (c.dialect != "postgres" && c.dialect != "sqlite")
      throw UsageError(fmt::format("invalid {} '{}': use postgres or sqlite",
                                   args.source("dialect"), shown(*v)));
  }
  if (auto v = args.value("format")) {
    const auto f = parse_format(*v);
    if (!f)
      throw UsageError(
          fmt::format("invalid {} '{}': use {}", args.source("format"), shown(*v), kFormatNames));
    c.format = *f;
  }
  c.from = args.value("from");
  if (auto ext = args.value("ext"); ext && *ext != "sql" && *ext != ".sql")
    throw UsageError(fmt::format("-ext {}: Ballast migrations are .sql files", *ext));
  return c;
}

}  // namespace ballast::migrate
