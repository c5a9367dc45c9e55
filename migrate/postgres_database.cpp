#include "migrate/postgres_database.hpp"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <thread>

#include "common/error.hpp"
#include "common/log.hpp"
#include "common/parse.hpp"
#include "common/retry.hpp"
#include "common/secret.hpp"
#include "common/text.hpp"
#include "migrate/postgres_connect.hpp"
#include "migrate/sql_position.hpp"
#include "migrate/sql_split.hpp"

namespace ballast::migrate {
namespace {

struct ConnCloser {
  void operator()(PGconn* c) const { PQfinish(c); }
};
struct ResultCloser {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultCloser>;

// Advisory-lock key: the first 8 bytes of "ballast-migrate" as a big-endian integer, so the
// lock never collides with an application's small integer keys.
constexpr long long kLockKey = 0x62616c6c6173742dLL;

// SQLSTATE lock_not_available: lock_timeout expired (or NOWAIT found the lock taken).
constexpr const char* kLockNotAvailable = "55P03";

std::string first_line(const char* message) {
  std::string s = message == nullptr ? "" : message;
  if (const auto nl = s.find('\n'); nl != std::string::npos) s.resize(nl);
  return s;
}

class PostgresDatabase final : public Database {
 public:
  PostgresDatabase(PGconn* conn, std::string display, HistoryConfig history)
      : conn_(conn), display_(std::move(display)), history_(std::move(history)) {}

  void ensure_history() override {
    exec_ok(fmt::format("CREATE TABLE IF NOT EXISTS {} ("
                        " module TEXT NOT NULL DEFAULT '',"
                        " version TEXT NOT NULL,"
                        " name TEXT NOT NULL,"
                        " sha256 TEXT NOT NULL,"
                        " applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),"
                        " execution_ms BIGINT NOT NULL,"
                        " state TEXT NOT NULL,"
                        " applied_by TEXT NOT NULL,"
                        " statements_done BIGINT NOT NULL DEFAULT 0,"
                        " PRIMARY KEY (module, version))",
                        table()),
            "create the history table");
    // Tables written before versions were text (BIGINT: no room for 20-digit versions) change
    // type in place, under the migration lock.
    Result type = query(fmt::format("SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                                    "WHERE attrelid = to_regclass({}) AND attname = 'version'",
                                    literal(history_.table)),
                        "read the history table's columns");
    if (PQntuples(type.get()) == 1 && std::string_view(PQgetvalue(type.get(), 0, 0)) != "text") {
      exec_ok(
          fmt::format("ALTER TABLE {} ALTER COLUMN version TYPE text USING version::text", table()),
          "upgrade the history table");
      log::info("upgraded the history table {} of {}: versions are text now", history_.table,
                describe());
    }
  }

  std::vector<AppliedRow> applied() override {
    std::vector<AppliedRow> rows;
    Result exists =
        query(fmt::format("SELECT to_regclass({}) IS NOT NULL", literal(history_.table)),
              "look for the history table");
    if (std::string_view(PQgetvalue(exists.get(), 0, 0)) != "t") return rows;
    Result r = query(fmt::format("SELECT module, version, name, sha256, "
                                 "to_char(applied_at AT TIME ZONE 'UTC', "
                                 "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), execution_ms, state, "
                                 "applied_by, statements_done "
                                 "FROM {}",
                                 table()),
                     "read the history table");
    const int n = PQntuples(r.get());
    rows.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
      AppliedRow row;
      row.module = PQgetvalue(r.get(), i, 0);
      row.version = history_version(PQgetvalue(r.get(), i, 1), describe());
      row.name = PQgetvalue(r.get(), i, 2);
      row.sha256 = PQgetvalue(r.get(), i, 3);
      row.applied_at = PQgetvalue(r.get(), i, 4);
      row.execution_ms = static_cast<std::int64_t>(to_u64(PQgetvalue(r.get(), i, 5)));
      row.state = PQgetvalue(r.get(), i, 6);
      row.applied_by = PQgetvalue(r.get(), i, 7);
      row.statements_done = static_cast<std::int64_t>(to_u64(PQgetvalue(r.get(), i, 8)));
      rows.push_back(std::move(row));
    }
    sort_history(rows);
    return rows;
  }

  // Session-level advisory lock, polled with pg_try_advisory_lock so the wait has a deadline
  // and can say who holds it. It dies with the connection, so a crashed runner never leaves
  // it behind.
  void acquire_lock(std::chrono::milliseconds timeout) override {
    const std::string sql = fmt::format("SELECT pg_try_advisory_lock({})", kLockKey);
    // A short, fixed poll: a release job waiting behind another should start as soon as the
    // lock is free, not seconds later.
    const bool taken = retry_with_backoff(
        timeout, std::chrono::milliseconds(100),
        [&](auto) {
          Result r = query(sql, "take the migration lock");
          return std::string_view(PQgetvalue(r.get(), 0, 0)) == "t";
        },
        [&](auto) { log::info("waiting for the migration lock held by {}", lock_holder()); },
        std::chrono::milliseconds(100));
    if (!taken)
      throw TempFailError(
          fmt::format("the migration lock is still held by {} after {}ms; try again later or raise "
                      "--lock-timeout",
                      lock_holder(), timeout.count()));
  }

  void release_lock() override {
    exec_ok(fmt::format("SELECT pg_advisory_unlock({})", kLockKey), "release the migration lock");
  }

  bool apply(const Migration& m, const std::string& module, bool skip_if_applied) override {
    (void)skip_if_applied;  // runners are serialised by the advisory lock
    with_lock_retries(m.file_name, [&] { run_in_one_transaction({&m}, module); });
    return true;
  }

  void apply_batch(const std::vector<const Migration*>& batch, const std::string& module) override {
    with_lock_retries(fmt::format("the {} files", batch.size()),
                      [&] { run_in_one_transaction(batch, module); });
  }

  void set_statement_limits(const StatementLimits& limits) override { limits_ = limits; }

  // Each statement on its own, outside any transaction (CREATE INDEX CONCURRENTLY refuses to
  // run inside one, and a multi-statement query string is an implicit transaction), with the
  // progress written to the history row after each.
  void apply_no_transaction(const Migration& m, const std::string& module) override {
    const auto statements = split_postgres(m.sql, m.file_name);
    exec_ok(fmt::format("{}INSERT INTO {} (module, version, name, sha256, execution_ms, state, "
                        "applied_by, statements_done) VALUES ({}, {}, {}, {}, 0, 'running', {}, 0)",
                        replace_repeatable(m, module), table(), literal(module),
                        literal(m.version.text()), literal(m.name), literal(m.sha256),
                        literal(history_.applied_by)),
            "record the start of " + m.file_name);
    const auto start = std::chrono::steady_clock::now();
    std::int64_t done = 0;
    // Session settings here (each statement is its own transaction), put back afterwards.
    if (const std::string set = limit_settings("SET"); !set.empty())
      exec_ok(set, "set lock_timeout and statement_timeout");
    for (const auto& st : statements) {
      // A statement that gave up waiting for its lock changed nothing: it runs again.
      Result r;
      for (unsigned attempt = 0;; ++attempt) {
        r = Result(PQexec(conn_.get(), st.text.c_str()));
        if (sqlstate(r) != kLockNotAvailable || attempt >= limits_.lock_retries) break;
        wait_before_retry(fmt::format("{} at line {}", m.file_name, line_of_byte(m.sql, st.offset)),
                          attempt);
      }
      const auto status = PQresultStatus(r.get());
      if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        std::string where = fmt::format(" at line {}", line_of_byte(m.sql, st.offset));
        if (const char* pos = PQresultErrorField(r.get(), PG_DIAG_STATEMENT_POSITION)) {
          std::size_t p = 0;
          std::from_chars(pos, pos + std::strlen(pos), p);
          where =
              fmt::format(" at line {}", line_of_byte(m.sql, st.offset + byte_of_char(st.text, p)));
        }
        const std::string message = error_text(r);
        const std::string state = sqlstate(r);
        set_progress(m, module, done, "failed", start);
        throw with_fields(
            DataError(fmt::format(
                "{} failed{} (statement {} of {}; {} done, outside a transaction: "
                "fix by hand, then 'migrate resolve {}'): {}",
                m.file_name, where, done + 1, statements.size(), done, m.version.text(), message)),
            {{"file", m.file_name}, {"version", m.version.text()}, {"sqlstate", state}});
      }
      set_progress(m, module, ++done, "running", start);
    }
    if (limits_.lock_timeout.count() > 0 || limits_.statement_timeout.count() > 0)
      exec_ok("RESET lock_timeout; RESET statement_timeout", "reset the statement limits");
    set_progress(m, module, done, "applied", start);
  }

  void resolve(const std::string& module, const Version& v, bool applied,
               const std::string& sha256) override {
    const std::string version = literal(v.text());
    const std::string sql =
        applied ? fmt::format(
                      "UPDATE {} SET state = 'applied', sha256 = {} WHERE module = {} AND version "
                      "= {} AND "
                      "state <> 'applied'",
                      table(), literal(sha256), literal(module), version)
                : fmt::format(
                      "DELETE FROM {} WHERE module = {} AND version = {} AND state <> 'applied'",
                      table(), literal(module), version);
    Result r(PQexec(conn_.get(), sql.c_str()));
    if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) fail(r, "resolve version " + v.text());
    if (std::string_view(PQcmdTuples(r.get())) != "1")
      throw DataError(
          fmt::format("version {} has no failed run to resolve in {}", v.text(), describe()));
  }

  bool has_table(const std::string& name) override {
    Result r =
        query(fmt::format("SELECT to_regclass({}) IS NOT NULL", literal(name)), "look for " + name);
    return std::string_view(PQgetvalue(r.get(), 0, 0)) == "t";
  }

  std::vector<std::vector<std::optional<std::string>>> read_rows(const std::string& sql) override {
    Result r = query(sql, "read another tool's history");
    std::vector<std::vector<std::optional<std::string>>> rows;
    for (int i = 0; i < PQntuples(r.get()); ++i) {
      std::vector<std::optional<std::string>> row;
      for (int c = 0; c < PQnfields(r.get()); ++c) {
        if (PQgetisnull(r.get(), i, c))
          row.emplace_back(std::nullopt);
        else
          row.emplace_back(PQgetvalue(r.get(), i, c));
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

  std::size_t record_applied(const std::vector<const Migration*>& files,
                             const std::string& module) override {
    std::string q = "BEGIN;\n";
    for (const Migration* m : files)
      q += fmt::format(
          "INSERT INTO {} (module, version, name, sha256, execution_ms, state, applied_by) VALUES "
          "({}, {}, {}, {}, 0, "
          "'applied', {}) ON CONFLICT (module, version) DO NOTHING;\n",
          table(), literal(module), literal(m->version.text()), literal(m->name),
          literal(m->sha256), literal(history_.applied_by + ", adopted"));
    q += "COMMIT;";
    const auto before = applied().size();
    exec_ok(q, "record the adopted migrations");
    return applied().size() - before;
  }

  void backup_to(const std::string& path) override {
    (void)path;
    throw UsageError(
        "--backup copies SQLite databases; for PostgreSQL take a snapshot with pg_dump or your "
        "provider's backups before the release");
  }

  void record_schema(const std::string& schema_json, const std::string& module,
                     const Version& version) override {
    // Checked first: ADD COLUMN IF NOT EXISTS would take the table's lock on every apply.
    if (!has_schema_column())
      exec_ok(fmt::format("ALTER TABLE {} ADD COLUMN IF NOT EXISTS schema_after text", table()),
              "add the schema_after column to the history table");
    exec_ok(fmt::format("BEGIN; UPDATE {0} SET schema_after = NULL WHERE schema_after IS NOT NULL; "
                        "UPDATE {0} SET schema_after = {1} WHERE module = {2} AND version = {3}; "
                        "COMMIT",
                        table(), literal(schema_json), literal(module), literal(version.text())),
            "record the schema");
  }

  std::optional<std::string> recorded_schema() override {
    if (!has_schema_column()) return std::nullopt;
    Result r = query(
        fmt::format("SELECT schema_after FROM {} WHERE schema_after IS NOT NULL LIMIT 1", table()),
        "read the recorded schema");
    if (PQntuples(r.get()) == 0) return std::nullopt;
    return std::string(PQgetvalue(r.get(), 0, 0));
  }

  std::optional<std::pair<std::string, std::string>> schema_recorded_on() override {
    if (!has_schema_column()) return std::nullopt;
    Result r = query(fmt::format("SELECT module, version FROM {} WHERE schema_after IS NOT NULL "
                                 "LIMIT 1",
                                 table()),
                     "read where the schema is recorded");
    if (PQntuples(r.get()) == 0) return std::nullopt;
    return std::pair<std::string, std::string>(PQgetvalue(r.get(), 0, 0),
                                               PQgetvalue(r.get(), 0, 1));
  }

  std::string describe() const override { return display_; }

 private:
  // One round trip: BEGIN, every file with its history row, COMMIT go as one simple-protocol
  // query string; the server stops at the first error and the whole transaction is void.
  void run_in_one_transaction(const std::vector<const Migration*>& batch,
                              const std::string& module) {
    std::string q = "BEGIN;\n";
    const std::string limits = limit_settings("SET LOCAL");
    q += limits;
    // Results before the first file's: BEGIN and each SET LOCAL.
    const std::size_t preamble =
        1 + static_cast<std::size_t>(std::count(limits.begin(), limits.end(), ';'));
    std::vector<std::pair<std::size_t, const Migration*>>
        starts;  // where each file's SQL begins in q
    for (const Migration* m : batch) {
      q += "SELECT set_config('ballast.t0', clock_timestamp()::text, true);\n";
      starts.emplace_back(q.size(), m);
      q += m->sql;
      q += "\n;" + replace_repeatable(*m, module);
      q += fmt::format(
          "INSERT INTO {} (module, version, name, sha256, execution_ms, state, applied_by) "
          "VALUES ({}, {}, "
          "{}, {}, (extract(epoch from clock_timestamp() - "
          "current_setting('ballast.t0')::timestamptz) * "
          "1000)::bigint, 'applied', {});\n",
          table(), literal(module), literal(m->version.text()), literal(m->name),
          literal(m->sha256), literal(history_.applied_by));
    }
    q += "COMMIT;";
    // One round trip. The server answers each statement of a multi-statement query with its
    // own result, and stops at the first error: the count of results says which statement
    // failed, even when the error carries no position (most run-time errors).
    if (PQsendQuery(conn_.get(), q.c_str()) == 0)
      throw UnavailableError(fmt::format("unable to send the migration to {}: {}", describe(),
                                         first_line(PQerrorMessage(conn_.get()))));
    Result error;
    std::size_t error_index = 0;
    std::size_t index = 0;
    while (PGresult* raw = PQgetResult(conn_.get())) {
      Result r(raw);
      const auto status = PQresultStatus(r.get());
      if (status == PGRES_COPY_IN) {
        // COPY ... FROM stdin carries its rows in psql's script, not in the statement.
        PQputCopyEnd(conn_.get(), "COPY FROM STDIN needs psql to feed it; use INSERT");
        continue;
      }
      if (!error && status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK &&
          status != PGRES_EMPTY_QUERY) {
        error = std::move(r);
        error_index = index;
      }
      ++index;
    }
    if (!error && PQtransactionStatus(conn_.get()) == PQTRANS_IDLE) return;

    const Migration* culprit = batch.size() == 1 ? batch.front() : nullptr;
    std::string where;
    std::string statement;
    if (const char* pos =
            error ? PQresultErrorField(error.get(), PG_DIAG_STATEMENT_POSITION) : nullptr) {
      std::size_t p = 0;
      std::from_chars(pos, pos + std::strlen(pos), p);
      const auto byte = byte_of_char(q, p);
      for (const auto& [at, m] : starts) {
        if (byte >= at && byte < at + m->sql.size()) {
          culprit = m;
          where = fmt::format(" at line {}", line_of_byte(m->sql, byte - at));
        }
      }
    }
    if (error) {
      // Walk the query's statements as the server did: BEGIN, then per file the timer, the
      // file's statements (split by PostgreSQL's own parser), its history row.
      std::size_t at = preamble;  // after BEGIN and the limits
      for (const Migration* m : batch) {
        ++at;  // set_config
        std::vector<SqlStatement> statements;
        try {
          statements = split_postgres(m->sql, m->file_name);
        } catch (const DataError&) {
          break;  // a syntax error: the server's position above names the line
        }
        if (error_index >= at && error_index < at + statements.size()) {
          const auto& st = statements[error_index - at];
          culprit = m;
          if (where.empty()) where = fmt::format(" at line {}", line_of_byte(m->sql, st.offset));
          statement = st.text.substr(0, st.text.find('\n'));
          break;
        }
        at += statements.size() + (m->version.is_repeatable() ? 2 : 1);
      }
    }
    const std::string message = error_text(error);
    const std::string state = sqlstate(error);
    error.reset();
    // Only a transaction the server still holds is rolled back: no "there is no transaction
    // in progress" warning in the release log.
    if (PQtransactionStatus(conn_.get()) != PQTRANS_IDLE)
      Result rb(PQexec(conn_.get(), "ROLLBACK"));
    if (PQstatus(conn_.get()) != CONNECTION_OK)
      throw UnavailableError(
          fmt::format("lost the connection to {} while applying: {}", describe(), message));
    if (culprit == nullptr)
      throw DataError(fmt::format("the release failed and was rolled back whole ({} files): {}",
                                  batch.size(), message));
    throw with_fields(
        DataError(fmt::format("{} failed{}: {}{}{}", culprit->file_name, where, message,
                              statement.empty() ? "" : " (in: " + shown(statement, 100) + ")",
                              batch.size() > 1 ? " (the whole release was rolled back)" : "")),
        {{"file", culprit->file_name}, {"version", culprit->version.text()}, {"sqlstate", state}});
  }

  // "SET LOCAL lock_timeout = '5000ms';\n..." for the limits that are set, or "".
  std::string limit_settings(std::string_view set) const {
    std::string out;
    if (limits_.lock_timeout.count() > 0)
      out += fmt::format("{} lock_timeout = '{}ms';\n", set, limits_.lock_timeout.count());
    if (limits_.statement_timeout.count() > 0)
      out +=
          fmt::format("{} statement_timeout = '{}ms';\n", set, limits_.statement_timeout.count());
    return out;
  }

  // Runs `attempt` again while it fails with lock_not_available (its lock_timeout expired
  // behind another transaction: the transaction was rolled back whole, nothing changed), at
  // most limits_.lock_retries more times.
  template <typename F>
  void with_lock_retries(const std::string& what, F attempt) {
    for (unsigned n = 0;; ++n) {
      try {
        attempt();
        return;
      } catch (const DataError& e) {
        const auto& f = e.fields();
        const bool lock = std::any_of(f.begin(), f.end(), [](const log::Field& x) {
          return x.key == "sqlstate" && x.text == kLockNotAvailable;
        });
        if (!lock || n >= limits_.lock_retries) {
          if (lock)
            throw with_fields(
                DataError(fmt::format("{} (gave up after {} tr{} of lock_timeout {}ms: another "
                                      "transaction holds the table; raise --pg-lock-timeout or "
                                      "--pg-lock-retries, or run when it ends)",
                                      e.what(), n + 1, n == 0 ? "y" : "ies",
                                      limits_.lock_timeout.count())),
                f);
          throw;
        }
        wait_before_retry(what, n);
      }
    }
  }

  // Backoff between lock retries: 1 s, 2 s, 4 s ... at most 30 s, each retry logged.
  void wait_before_retry(const std::string& what, unsigned attempt) const {
    const auto pause = std::chrono::milliseconds(1000) * (1U << std::min(attempt, 5U));
    const auto capped = std::min<std::chrono::milliseconds>(pause, std::chrono::seconds(30));
    log::with({{"file", what}, {"retry", attempt + 1}, {"sqlstate", kLockNotAvailable}})
        .warn(
            "{}: lock_timeout ({}ms) expired waiting for a lock; nothing changed; retry {} of "
            "{} in {}ms",
            what, limits_.lock_timeout.count(), attempt + 1, limits_.lock_retries, capped.count());
    std::this_thread::sleep_for(capped);
  }

  void set_progress(const Migration& m, const std::string& module, std::int64_t done,
                    const char* state, std::chrono::steady_clock::time_point start) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    exec_ok(
        fmt::format("UPDATE {} SET statements_done = {}, state = '{}', execution_ms = {} WHERE "
                    "module = {} AND "
                    "version = {}",
                    table(), done, state, ms.count(), literal(module), literal(m.version.text())),
        "record progress of " + m.file_name);
  }

  // A repeatable migration keeps one history row, its last run: the SQL that removes the
  // previous one, or "".
  std::string replace_repeatable(const Migration& m, const std::string& module) const {
    if (!m.version.is_repeatable()) return {};
    return fmt::format("DELETE FROM {} WHERE module = {} AND version = {};\n", table(),
                       literal(module), literal(m.version.text()));
  }

  static std::string sqlstate(const Result& r) {
    const char* code = r ? PQresultErrorField(r.get(), PG_DIAG_SQLSTATE) : nullptr;
    return code == nullptr ? "" : code;
  }

  // The server's message, with its DETAIL and HINT when it gave them ("duplicate key value
  // violates unique constraint "u"; Key (id)=(1) already exists."), on one line.
  std::string error_text(const Result& r) const {
    const char* primary = r ? PQresultErrorField(r.get(), PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    if (primary == nullptr) {
      std::string message =
          first_line(r ? PQresultErrorMessage(r.get()) : PQerrorMessage(conn_.get()));
      if (message.rfind("ERROR:  ", 0) == 0) message.erase(0, 8);
      return message;
    }
    std::string message = first_line(primary);
    // PG_DIAG_* are chars: kept as they are for PQresultErrorField's int.
    for (const char* extra : {PQresultErrorField(r.get(), PG_DIAG_MESSAGE_DETAIL),
                              PQresultErrorField(r.get(), PG_DIAG_MESSAGE_HINT)})
      if (extra != nullptr) message += "; " + first_line(extra);
    return message;
  }

  std::string table() const { return table_name(history_.table); }

  bool has_schema_column() {
    Result r =
        query(fmt::format("SELECT count(*) FROM pg_attribute WHERE attrelid = "
                          "to_regclass({}) AND attname = 'schema_after' AND NOT attisdropped",
                          literal(history_.table)),
              "read the history table's columns");
    return std::string_view(PQgetvalue(r.get(), 0, 0)) != "0";
  }

  std::string table_name(const std::string& name) const {
    // A schema-qualified name ("ops.history") is quoted part by part.
    std::string out;
    std::size_t start = 0;
    for (;;) {
      const auto dot = name.find('.', start);
      const std::string part =
          name.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
      char* quoted = PQescapeIdentifier(conn_.get(), part.c_str(), part.size());
      if (quoted == nullptr) throw DataError("invalid table name " + name);
      if (!out.empty()) out += '.';
      out += quoted;
      PQfreemem(quoted);
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    return out;
  }

  std::string literal(const std::string& value) const {
    char* quoted = PQescapeLiteral(conn_.get(), value.c_str(), value.size());
    if (quoted == nullptr)
      throw DataError("unable to quote a value: " + first_line(PQerrorMessage(conn_.get())));
    std::string out = quoted;
    PQfreemem(quoted);
    return out;
  }

  std::string lock_holder() {
    Result r(PQexec(conn_.get(),
                    fmt::format("SELECT a.pid, coalesce(a.application_name, ''), "
                                "coalesce(host(a.client_addr), 'local'), "
                                "coalesce(to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS'), '') "
                                "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                                "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = {} "
                                "AND l.objid = {} LIMIT 1",
                                (kLockKey >> 32) & 0xffffffffLL, kLockKey & 0xffffffffLL)
                        .c_str()));
    if (PQresultStatus(r.get()) != PGRES_TUPLES_OK || PQntuples(r.get()) == 0)
      return "another runner";
    return fmt::format("pid {} ({} from {}, connected {})", PQgetvalue(r.get(), 0, 0),
                       PQgetvalue(r.get(), 0, 1), PQgetvalue(r.get(), 0, 2),
                       PQgetvalue(r.get(), 0, 3));
  }

  Result query(const std::string& sql, const std::string& what) {
    Result r(PQexec(conn_.get(), sql.c_str()));
    if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) fail(r, what);
    return r;
  }

  void exec_ok(const std::string& sql, const std::string& what) {
    Result r(PQexec(conn_.get(), sql.c_str()));
    const auto s = PQresultStatus(r.get());
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) fail(r, what);
  }

  [[noreturn]] void fail(const Result& r, const std::string& what) {
    const std::string msg =
        first_line(r ? PQresultErrorMessage(r.get()) : PQerrorMessage(conn_.get()));
    if (PQstatus(conn_.get()) != CONNECTION_OK)
      throw UnavailableError(
          fmt::format("unable to {} in {}: connection lost: {}", what, describe(), msg));
    throw DataError(fmt::format("unable to {} in {}: {}", what, describe(), msg));
  }

  static std::uint64_t to_u64(const char* s) { return parse_uint<std::uint64_t>(s).value_or(0); }

  std::unique_ptr<PGconn, ConnCloser> conn_;
  std::string display_;
  HistoryConfig history_;
  StatementLimits limits_;
};

}  // namespace

std::unique_ptr<Database> open_postgres(const DatabaseTarget& target, const HistoryConfig& history,
                                        std::chrono::milliseconds wait) {
  PGconn* conn = connect_postgres(target, wait);
  // The server's warnings go to migrate's log as one line each, not to stderr as libpq prints
  // them; notices (e.g. "relation already exists, skipping") are noise in a release log.
  PQsetNoticeReceiver(
      conn,
      [](void*, const PGresult* r) {
        const char* message = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
        const char* severity = PQresultErrorField(r, PG_DIAG_SEVERITY_NONLOCALIZED);
        log::warn("server {}: {}", severity != nullptr ? severity : "notice",
                  shown(first_line(message)));
      },
      nullptr);
  Result r(PQexec(conn, "SET client_min_messages = warning"));
  return std::make_unique<PostgresDatabase>(conn, target.display, history);
}

}  // namespace ballast::migrate
