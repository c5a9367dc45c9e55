#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/database_url.hpp"
#include "migrate/migration_file.hpp"

namespace ballast::migrate {

// One row of the history table.
struct AppliedRow {
  std::string module;  // "" for the application's own migrations
  Version version;
  std::string name;
  std::string sha256;
  std::string applied_at;
  std::int64_t execution_ms = 0;
  std::string state;  // "applied", "failed" or "running" (a no-transaction file cut off)
  std::int64_t statements_done = 0;
  std::string applied_by;
};

// Names and labels the history rows carry.
struct HistoryConfig {
  std::string table = "ballast_schema_history";
  std::string applied_by;  // "host (ballast 0.1.0)"
};

// Limits on the statements of each migration file (PostgreSQL: SET LOCAL in the file's
// transaction, SET for a no-transaction file's session). 0 = leave the server's setting.
struct StatementLimits {
  std::chrono::milliseconds lock_timeout{0};       // lock_timeout
  std::chrono::milliseconds statement_timeout{0};  // statement_timeout
  unsigned lock_retries = 0;  // runs again after lock_not_available (55P03), with backoff
};

// The seam between migrate's decisions and a database engine. Implementations: SQLite and
// PostgreSQL. Every method throws DataError (a migration failed: file, statement position and
// the database's message), UnavailableError (cannot connect) or TempFailError (lock timeout).
class Database {
 public:
  virtual ~Database() = default;

  // Creates the history table if missing. Safe to call from many runners at once.
  virtual void ensure_history() = 0;

  // The rows of the history table, ordered by module then version; empty when the table does
  // not exist yet (status and plan never create it).
  virtual std::vector<AppliedRow> applied() = 0;

  // Takes the migration lock for this runner, waiting at most `timeout`; throws
  // TempFailError on timeout. Held until release_lock() or the end of the process.
  virtual void acquire_lock(std::chrono::milliseconds timeout) = 0;
  virtual void release_lock() = 0;

  // Runs `m` and writes its history row in one transaction. When `skip_if_applied`, it first
  // checks inside that transaction whether another runner applied it meanwhile and then does
  // nothing and returns false. Returns true when it applied the file.
  virtual bool apply(const Migration& m, const std::string& module, bool skip_if_applied) = 0;

  // Runs every migration of `batch` with its history row in ONE transaction (--single-transaction):
  // all or nothing. Throws DataError naming the failing file.
  virtual void apply_batch(const std::vector<const Migration*>& batch,
                           const std::string& module) = 0;

  // Runs a no-transaction migration (CREATE INDEX CONCURRENTLY) statement by statement, each
  // on its own: its history row goes 'running' first, counts statements_done, and ends
  // 'applied' — or 'failed', which later runs refuse until resolve(). Throws DataError.
  virtual void apply_no_transaction(const Migration& m, const std::string& module) = 0;

  // Clears a failed migration after a human fixed the database: `applied` keeps its row as
  // applied with `sha256`, otherwise the row is removed so the file runs again. Throws
  // DataError when there is no failed row for that version.
  virtual void resolve(const std::string& module, const Version& version, bool applied,
                       const std::string& sha256) = 0;

  // True when a table of that name exists ("drizzle.__drizzle_migrations" names a schema on
  // PostgreSQL). For reading other tools' histories.
  virtual bool has_table(const std::string& name) = 0;

  // Runs a read-only query; every value as text, NULL as nullopt. Throws DataError.
  virtual std::vector<std::vector<std::optional<std::string>>> read_rows(
      const std::string& sql) = 0;

  // Records `files` as applied in the history (checksums, no SQL run), in one transaction,
  // skipping versions already recorded. Returns how many it recorded.
  virtual std::size_t record_applied(const std::vector<const Migration*>& files,
                                     const std::string& module) = 0;

  // Writes an online, consistent copy of the whole database to `path` (a new file, mode 0600,
  // renamed into place when complete). SQLite only (its backup API); PostgreSQL throws
  // UsageError naming what to use instead. Throws PermissionError when it cannot be written.
  virtual void backup_to(const std::string& path) = 0;

  // Keeps `schema_json` (schema.hpp) as the schema recorded at this apply: in the history
  // table's schema_after column (added when missing) of the row of `module`/`version`, the
  // migration applied last, cleared on every other row. No table of its own: the user's
  // database gains nothing but the history table.
  virtual void record_schema(const std::string& schema_json, const std::string& module,
                             const Version& version) = 0;

  // The schema recorded at the last apply that changed something, or nullopt.
  virtual std::optional<std::string> recorded_schema() = 0;

  // The row (module, version text) the recorded schema is kept on, or nullopt when none is:
  // apply compares it with the newest applied row to finish a recording a killed run missed.
  virtual std::optional<std::pair<std::string, std::string>> schema_recorded_on() = 0;

  // Sets the limits every later apply runs its statements under. SQLite has no such settings
  // (one writer; its busy timeout is the migration lock's wait): the default ignores them.
  virtual void set_statement_limits(const StatementLimits& limits) { (void)limits; }

  // Human name for logs, credentials masked: "sqlite:./data/app.sqlite3".
  virtual std::string describe() const = 0;
};

// What the engines share in reading the history: a stored version back to a Version (DataError
// naming `where` for text that is none), and the rows in module, then version order (text
// versions do not sort as numbers in SQL).
Version history_version(std::string_view text, std::string_view where);
void sort_history(std::vector<AppliedRow>& rows);

// Opens (connecting, retrying for at most `wait` while the server refuses) the database.
// With `writable` false (status, plan) a SQLite file is opened read-only and a missing one is
// not created: those commands never write.
std::unique_ptr<Database> open_database(const DatabaseTarget& target, const HistoryConfig& history,
                                        std::chrono::milliseconds wait, bool writable = true);

}  // namespace ballast::migrate
