#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>

#include "common/cli.hpp"
#include "common/database_url.hpp"
#include "common/env.hpp"
#include "common/mode.hpp"
#include "migrate/database.hpp"

namespace ballast::migrate {

// Everything a migrate command needs, resolved from flags and environment.
struct Config {
  ResolvedMode mode{Mode::kDev, "default"};
  DatabaseTarget target;
  bool embedded_default = false;  // no URL given: ./data/app.sqlite3
  std::string dir = "migrations";
  Format format = Format::kAuto;  // --format / MIGRATIONS_FORMAT
  HistoryConfig history;
  std::chrono::milliseconds wait_timeout{0};
  std::chrono::milliseconds lock_timeout{std::chrono::minutes(5)};
  // PostgreSQL settings for each file's statements (SET LOCAL in its transaction): a DDL
  // statement queued behind a long transaction gives up after pg_lock_timeout instead of
  // blocking every query behind it, and the file runs again up to pg_lock_retries times. Not
  // lock_timeout above, which is the wait for another runner's migration lock. 0 = unset.
  std::chrono::milliseconds pg_lock_timeout{std::chrono::seconds(5)};
  std::chrono::milliseconds pg_statement_timeout{0};
  unsigned pg_lock_retries = 3;
  std::optional<Version> lint_from;        // verify: lint files from this version on
  std::optional<std::string> schema_file;  // apply: --schema-file, the schema after a change
  std::optional<std::string> backup_dir;   // apply: --backup DIR, SQLite snapshots
  unsigned backup_keep = 5;                // apply: --backup-keep N
  bool allow_changed = false;
  bool allow_out_of_order = false;
  bool single_transaction = false;
  bool url_given = false;  // --database or DATABASE_URL was set (verify picks its dialect from it)
  std::optional<std::string>
      modules_path;  // --modules / MIGRATE_MODULES; else ./modules.json if present
  std::optional<std::string> only_module;  // --module ID
  bool allow_prerelease = false;
  bool strict_pins = false;

  // What single commands take.
  bool json = false;               // status, plan, verify: --json
  bool exit_code = false;          // status: --exit-code
  bool dry_run = false;            // apply: --dry-run (plan instead)
  bool all = false;                // review: --all
  bool force = false;              // review: --force
  std::optional<bool> resolution;  // resolve: --applied (true) or --rolled-back (false)
  std::chrono::milliseconds timeout{std::chrono::minutes(5)};  // wait: --timeout
  std::string dialect = "sqlite";                              // verify: --dialect, else the URL's
  bool dialect_given = false;                                  // --dialect or a URL said it
  std::optional<std::string> from;                             // adopt: --from TOOL
};

// How the configured folders are read: the layout, and the engine whose dialect-tagged files
// count.
inline ScanOptions scan_options(const Config& c) { return ScanOptions{c.format, c.dialect}; }

// migrate's options (the common ones are added by with_common_options).
std::span<const cli::Option> config_options();

// The embedded default database, used outside prod when no URL is given.
inline constexpr const char* kEmbeddedDefault = "./data/app.sqlite3";

// Resolves the configuration. Throws ConfigError (78) in prod when no database URL is given
// and `need_database` (an empty SQLite file must never stand in for a production database),
// UsageError for bad values (a table name that is not an identifier, a bad duration).
Config resolve_config(const cli::Args& args, const Env& env, bool need_database = true);

}  // namespace ballast::migrate
