#include "migrate/sqlite_database.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
#include <optional>
#include <utility>

#include "common/error.hpp"
#include "common/fd.hpp"
#include "common/log.hpp"
#include "common/retry.hpp"
#include "migrate/sql_position.hpp"

namespace ballast::migrate {
namespace {

struct StmtCloser {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Stmt = std::unique_ptr<sqlite3_stmt, StmtCloser>;

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};

using clock = std::chrono::steady_clock;

std::int64_t ms_since(clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - start).count();
}

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(sqlite3* db, std::string path, HistoryConfig history)
      : db_(db), path_(std::move(path)), history_(std::move(history)) {}

  void ensure_history() override {
    bool unchanged = false;
    in_transaction("create the history table", [&] {
      unchanged = unchanged_since_read();
      exec_or_throw(create_history_sql(history_.table), "create the history table");
    });
    committed(unchanged);
    upgrade_history();
  }

  std::vector<AppliedRow> applied() override {
    std::vector<AppliedRow> rows;
    if (!has_table(history_.table)) {
      read_at_ = data_version();
      return rows;
    }
    Stmt st =
        prepare(fmt::format("SELECT module, version, name, sha256, applied_at, execution_ms, "
                            "state, applied_by, statements_done "
                            "FROM \"{}\"",
                            history_.table));
    for (;;) {
      const int rc = sqlite3_step(st.get());
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) throw_db("read the history table");
      AppliedRow r;
      r.module = text(st, 0);
      r.version = history_version(text(st, 1), describe());
      r.name = text(st, 2);
      r.sha256 = text(st, 3);
      r.applied_at = text(st, 4);
      r.execution_ms = sqlite3_column_int64(st.get(), 5);
      r.state = text(st, 6);
      r.applied_by = text(st, 7);
      r.statements_done = sqlite3_column_int64(st.get(), 8);
      rows.push_back(std::move(r));
    }
    sort_history(rows);
    st.reset();
    read_at_ = data_version();
    return rows;
  }

  static std::string create_history_sql(const std::string& table) {
    return fmt::format(
        "CREATE TABLE IF NOT EXISTS \"{}\" ("
        " module TEXT NOT NULL DEFAULT '',"
        " version TEXT NOT NULL,"
        " name TEXT NOT NULL,"
        " sha256 TEXT NOT NULL,"
        " applied_at TEXT NOT NULL,"
        " execution_ms INTEGER NOT NULL,"
        " state TEXT NOT NULL,"
        " applied_by TEXT NOT NULL,"
        " statements_done INTEGER NOT NULL DEFAULT 0,"
        // Created with the table: adding it later (ALTER TABLE) makes SQLite re-read the whole
        // schema, in a transaction of its own. Written as ALTER TABLE would have placed it.
        " schema_after TEXT,"
        " PRIMARY KEY (module, version))",
        table);
  }

  // Tables written before versions were text (version INTEGER: 20-digit versions would turn
  // into floating point) are rebuilt once, in one transaction, under the migration lock.
  void upgrade_history() {
    Stmt info =
        prepare(fmt::format("SELECT type FROM pragma_table_info('{}') WHERE name = "
                            "'version'",
                            history_.table));
    if (sqlite3_step(info.get()) != SQLITE_ROW || text(info, 0) == "TEXT") return;
    info.reset();
    const std::string old = history_.table + "_before_text_versions";
    const char* const schema = has_schema_column() ? ", schema_after" : "";
    in_transaction("upgrade the history table", [&] {
      exec_or_throw(fmt::format("ALTER TABLE \"{}\" RENAME TO \"{}\"", history_.table, old),
                    "upgrade the history table");
      exec_or_throw(create_history_sql(history_.table), "upgrade the history table");
      exec_or_throw(fmt::format("INSERT INTO \"{0}\" (module, version, name, sha256, applied_at, "
                                "execution_ms, state, applied_by, statements_done{2}) "
                                "SELECT module, CAST(version AS TEXT), name, sha256, applied_at, "
                                "execution_ms, state, applied_by, statements_done{2} FROM \"{1}\"",
                                history_.table, old, schema),
                    "upgrade the history table");
      exec_or_throw(fmt::format("DROP TABLE \"{}\"", old), "upgrade the history table");
    });
    log::info("upgraded the history table {} of {}: versions are text now", history_.table,
              describe());
  }

  // The migration lock: flock(2) on the database file itself, through a descriptor of our
  // own, held for the whole run. SQLite's own locks are POSIX record locks (fcntl), which flock
  // does not touch, so readers and the application are never blocked by it. SQLite's write lock
  // alone is not enough: a no-transaction file commits statement by statement, and a second
  // runner would read its 'running' row as a failure instead of waiting.
  void acquire_lock(std::chrono::milliseconds timeout) override {
    // The busy timeout: how long a transaction waits for SQLite's write lock (the application's
    // writes, or a runner of an older version without this lock).
    const auto ms = std::min<std::chrono::milliseconds::rep>(timeout.count(), INT32_MAX);
    sqlite3_busy_timeout(db_.get(), static_cast<int>(ms));
    std::error_code ec;
    if (!lock_fd_) lock_fd_ = open_fd(path_, O_RDONLY, ec);
    if (!lock_fd_) return;  // no file (":memory:"): no other runner can reach it
    const bool taken = retry_with_backoff(
        timeout, std::chrono::milliseconds(20),
        [&](auto) {
          if (::flock(lock_fd_.get(), LOCK_EX | LOCK_NB) == 0) return true;
          if (errno != EWOULDBLOCK && errno != EINTR)
            throw UnavailableError(
                fmt::format("unable to lock sqlite:{}: {}", path_, std::strerror(errno)));
          return false;
        },
        [&](auto) {
          log::info("waiting for the migration lock on sqlite:{} (another runner)", path_);
        },
        std::chrono::milliseconds(250));
    if (!taken)
      throw TempFailError(fmt::format(
          "the migration lock on sqlite:{} is still held by another runner after {}ms; try again "
          "later or raise --lock-timeout",
          path_, timeout.count()));
  }

  void release_lock() override {
    if (lock_fd_) ::flock(lock_fd_.get(), LOCK_UN);
  }

  bool apply(const Migration& m, const std::string& module, bool skip_if_applied) override {
    const auto start = clock::now();
    bool unchanged = false;
    bool skipped = false;
    in_transaction("commit " + m.file_name, [&] {
      // Nothing committed since the history was read but our own applies: the row cannot be
      // there, and the lookup (a statement recompiled after every file's DDL) is skipped.
      unchanged = unchanged_since_read();
      skipped = skip_if_applied && !unchanged && has_row(m, module);
      if (skipped) return;  // an empty transaction: the commit writes nothing
      run_script(m);
      if (m.version.is_repeatable()) delete_row(m, module);
      insert_row(m, module, "applied", ms_since(start), 0);
    });
    committed(unchanged);
    return !skipped;
  }

  void apply_batch(const std::vector<const Migration*>& batch, const std::string& module) override {
    in_transaction("commit the release", [&] {
      for (const Migration* m : batch) {
        const auto start = clock::now();
        run_script(*m);
        if (m->version.is_repeatable()) delete_row(*m, module);
        insert_row(*m, module, "applied", ms_since(start), 0);
      }
    });
  }

  void apply_no_transaction(const Migration& m, const std::string& module) override {
    const auto start = clock::now();
    bool skipped = false;
    in_transaction("record the start of " + m.file_name, [&] {
      skipped = has_row(m, module);
      if (skipped) return;
      if (m.version.is_repeatable()) delete_row(m, module);
      insert_row(m, module, "running", 0, 0);
    });
    if (skipped) return;
    std::int64_t done = 0;
    try {
      for_each_statement(m, [&] { set_progress(m, module, ++done, "running", ms_since(start)); });
    } catch (...) {
      set_progress(m, module, done, "failed", ms_since(start));
      throw;
    }
    set_progress(m, module, done, "applied", ms_since(start));
  }

  void resolve(const std::string& module, const Version& version, bool applied,
               const std::string& sha256) override {
    in_transaction("commit the resolution", [&] {
      const std::string sql =
          applied
              ? fmt::format(
                    "UPDATE \"{}\" SET state = 'applied', sha256 = ? WHERE module = ? AND version "
                    "= ? "
                    "AND state <> 'applied'",
                    history_.table)
              : fmt::format(
                    "DELETE FROM \"{}\" WHERE module = ? AND version = ? AND state <> 'applied'",
                    history_.table);
      Stmt st = prepare(sql);
      int i = 1;
      if (applied) bind(st, i++, sha256);
      bind(st, i++, module);
      bind(st, i, version.text());
      if (sqlite3_step(st.get()) != SQLITE_DONE) throw_db("resolve version " + version.text());
      if (sqlite3_changes(db_.get()) != 1)
        throw DataError(fmt::format("version {} has no failed run to resolve in {}", version.text(),
                                    describe()));
    });
  }

  bool has_table(const std::string& name) override {
    Stmt st = prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
    bind(st, 1, name);
    return sqlite3_step(st.get()) == SQLITE_ROW;
  }

  std::vector<std::vector<std::optional<std::string>>> read_rows(const std::string& sql) override {
    std::vector<std::vector<std::optional<std::string>>> rows;
    Stmt st = prepare(sql);
    for (;;) {
      const int rc = sqlite3_step(st.get());
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) throw_db("read another tool's history");
      std::vector<std::optional<std::string>> row;
      for (int c = 0; c < sqlite3_column_count(st.get()); ++c) {
        if (sqlite3_column_type(st.get(), c) == SQLITE_NULL)
          row.emplace_back(std::nullopt);
        else
          row.emplace_back(text(st, c));
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

  std::size_t record_applied(const std::vector<const Migration*>& files,
                             const std::string& module) override {
    std::size_t recorded = 0;
    in_transaction("commit the adoption", [&] {
      for (const Migration* m : files) {
        if (has_row(*m, module)) continue;
        insert_row(*m, module, "applied", 0, 0);
        ++recorded;
      }
    });
    return recorded;
  }

  void backup_to(const std::string& path) override {
    // SQLite's own backup API copies page by page through this connection, which holds the
    // migration lock: the copy is consistent, and readers of the database go on meanwhile.
    const std::string part = path + ".part";
    ::unlink(part.c_str());
    const auto fail = [&](const std::string& why) {
      ::unlink(part.c_str());
      throw PermissionError(
          fmt::format("unable to write the backup {}: {}; nothing was applied "
                      "(free space, or fix --backup)",
                      path, why));
    };
    sqlite3* raw = nullptr;
    const int rc =
        sqlite3_open_v2(part.c_str(), &raw,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW, nullptr);
    std::unique_ptr<sqlite3, DbCloser> copy(raw);
    if (rc != SQLITE_OK) fail(raw != nullptr ? sqlite3_errmsg(raw) : "out of memory");
    ::chmod(part.c_str(), 0600);  // the copy holds the application's data
    sqlite3_backup* b = sqlite3_backup_init(copy.get(), "main", db_.get(), "main");
    if (b == nullptr) fail(sqlite3_errmsg(copy.get()));
    const int step = sqlite3_backup_step(b, -1);
    sqlite3_backup_finish(b);
    if (step != SQLITE_DONE) fail(sqlite3_errstr(step));
    // The copy is journaled in rollback mode like any new file, and complete once closed.
    if (sqlite3_close(copy.release()) != SQLITE_OK) fail("could not close the copy");
    if (::rename(part.c_str(), path.c_str()) != 0) fail(std::strerror(errno));
  }

  void record_schema(const std::string& schema_json, const std::string& module,
                     const Version& version) override {
    if (!has_schema_column())
      exec_or_throw(fmt::format("ALTER TABLE \"{}\" ADD COLUMN schema_after TEXT", history_.table),
                    "add the schema_after column to the history table");
    // One transaction: a run killed between the two updates must not leave no schema at all.
    in_transaction("record the schema", [&] {
      exec_or_throw(fmt::format("UPDATE \"{}\" SET schema_after = NULL WHERE schema_after IS NOT "
                                "NULL",
                                history_.table),
                    "record the schema");
      Stmt st = prepare(fmt::format(
          "UPDATE \"{}\" SET schema_after = ? WHERE module = ? AND version = ?", history_.table));
      bind(st, 1, schema_json);
      bind(st, 2, module);
      bind(st, 3, version.text());
      if (sqlite3_step(st.get()) != SQLITE_DONE) throw_db("record the schema");
    });
  }

  std::optional<std::string> recorded_schema() override {
    if (!has_table(history_.table) || !has_schema_column()) return std::nullopt;
    Stmt st = prepare(fmt::format(
        "SELECT schema_after FROM \"{}\" WHERE schema_after IS NOT NULL LIMIT 1", history_.table));
    if (sqlite3_step(st.get()) != SQLITE_ROW) return std::nullopt;
    return text(st, 0);
  }

  std::optional<std::pair<std::string, std::string>> schema_recorded_on() override {
    if (!has_table(history_.table) || !has_schema_column()) return std::nullopt;
    Stmt st = prepare(
        fmt::format("SELECT module, version FROM \"{}\" WHERE schema_after IS NOT NULL LIMIT 1",
                    history_.table));
    if (sqlite3_step(st.get()) != SQLITE_ROW) return std::nullopt;
    return std::pair<std::string, std::string>(text(st, 0), text(st, 1));
  }

  std::string describe() const override { return "sqlite:" + path_; }

 private:
  bool has_schema_column() {
    Stmt st = prepare("SELECT 1 FROM pragma_table_info(?) WHERE name = 'schema_after'");
    bind(st, 1, history_.table);
    return sqlite3_step(st.get()) == SQLITE_ROW;
  }

  // Runs the statements of a file one by one, splitting with sqlite3_prepare_v2's tail
  // pointer: SQLite's own parser decides where a statement ends, no hand-written splitter.
  // The length handed to prepare includes the terminator, so SQLite reads the text in place
  // (without it, SQLite copies the rest of the file for every statement: quadratic); every
  // turn advances or ends, whatever the text holds.
  template <typename AfterEach>
  void for_each_statement(const Migration& m, AfterEach after_each) {
    denied_.clear();
    if (const auto nul = m.sql.find('\0'); nul != std::string::npos)
      throw with_fields(DataError(fmt::format("{}: contains a NUL byte at line {}: a SQL file is "
                                              "text",
                                              m.file_name, line_of_byte(m.sql, nul))),
                        {{"file", m.file_name}, {"version", m.version.text()}});
    const char* const begin = m.sql.c_str();
    const char* const end = begin + m.sql.size();
    const char* cursor = begin;
    while (cursor < end) {
      sqlite3_stmt* raw = nullptr;
      const char* tail = nullptr;
      const int rc =
          sqlite3_prepare_v2(db_.get(), cursor, static_cast<int>(end - cursor) + 1, &raw, &tail);
      Stmt st(raw);
      const auto start = static_cast<std::size_t>(cursor - begin);
      if (rc != SQLITE_OK) {
        // sqlite3_error_offset is relative to the text handed to prepare, or -1 when SQLite
        // cannot point at a token; then the statement's first token is the best we know.
        const int off = sqlite3_error_offset(db_.get());
        fail(m, off < 0 ? skip_space_and_comments(m.sql, start, SqlDialect::kSqlite)
                        : start + static_cast<std::size_t>(off));
      }
      if (st) {
        int step;
        while ((step = sqlite3_step(st.get())) == SQLITE_ROW) {
        }
        if (step != SQLITE_DONE)
          fail(m, skip_space_and_comments(m.sql, start, SqlDialect::kSqlite));
        after_each();
      }
      if (tail == nullptr || tail <= cursor) break;  // only space and comments were left
      cursor = tail;
    }
  }

  // Runs a file inside migrate's own transaction. BEGIN, COMMIT, END or ROLLBACK in it would
  // end that transaction early (a COMMIT keeps half the file with no history row, a later
  // failure cannot undo it): SQLite's authorizer refuses them when the statement is prepared,
  // before anything of it runs, and the whole file rolls back. SAVEPOINTs nest and are allowed.
  void run_script(const Migration& m) {
    sqlite3_set_authorizer(
        db_.get(),
        [](void* self, int action, const char* what, const char*, const char*, const char*) {
          if (action != SQLITE_TRANSACTION) return SQLITE_OK;
          static_cast<SqliteDatabase*>(self)->denied_ = what != nullptr ? what : "BEGIN";
          return SQLITE_DENY;
        },
        this);
    try {
      for_each_statement(m, [] {});
    } catch (...) {
      sqlite3_set_authorizer(db_.get(), nullptr, nullptr);
      throw;
    }
    sqlite3_set_authorizer(db_.get(), nullptr, nullptr);
  }

  [[noreturn]] void fail(const Migration& m, std::size_t offset) {
    const std::size_t line = line_of_byte(m.sql, offset);
    throw_unwritable();
    std::string why =
        denied_.empty() ? std::string(sqlite3_errmsg(db_.get()))
                        : fmt::format(
                              "{} in a file that runs in a transaction: remove it (migrate runs "
                              "each file in its own), or mark the file '-- migrate:no-transaction'",
                              denied_);
    if (sqlite3_errcode(db_.get()) == SQLITE_FULL)
      why += " (ENOSPC: no space left on the device that holds it)";
    throw with_fields(DataError(fmt::format("{} failed at line {}: {}", m.file_name, line, why)),
                      {{"file", m.file_name}, {"version", m.version.text()}, {"line", line}});
  }

  // The database cannot be written (a read-only file, a folder where the journal cannot be
  // created, a read-only mount): a PermissionError (77) that says so, not a migration failure.
  void throw_unwritable() {
    const int code = sqlite3_errcode(db_.get());
    if (code != SQLITE_READONLY && code != SQLITE_CANTOPEN) return;
    const int err = sqlite3_system_errno(db_.get());
    throw PermissionError(fmt::format(
        "sqlite:{} cannot be written{}: migrate needs to write the file and a journal beside it "
        "(mount it read-write, or give its folder to the user migrate runs as)",
        path_, err != 0 ? fmt::format(" ({})", std::strerror(err)) : std::string(" (read-only)")));
  }

  void insert_row(const Migration& m, const std::string& module, const char* state, std::int64_t ms,
                  std::int64_t done) {
    Use ins = cached(fmt::format(
        "INSERT INTO \"{}\" (module, version, name, sha256, applied_at, execution_ms, state, "
        "applied_by, "
        "statements_done) VALUES (?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ','now'), ?, ?, ?, ?)",
        history_.table));
    bind(ins, 1, module);
    bind(ins, 2, m.version.text());
    bind(ins, 3, m.name);
    bind(ins, 4, m.sha256);
    sqlite3_bind_int64(ins.get(), 5, ms);
    bind(ins, 6, state);
    bind(ins, 7, history_.applied_by);
    sqlite3_bind_int64(ins.get(), 8, done);
    if (sqlite3_step(ins.get()) != SQLITE_DONE)
      throw_db("record " + m.file_name + " in the history table");
  }

  void set_progress(const Migration& m, const std::string& module, std::int64_t done,
                    const char* state, std::int64_t ms) {
    Use up =
        cached(fmt::format("UPDATE \"{}\" SET statements_done = ?, state = ?, execution_ms = ? "
                           "WHERE module = ? AND version = ?",
                           history_.table));
    sqlite3_bind_int64(up.get(), 1, done);
    bind(up, 2, state);
    sqlite3_bind_int64(up.get(), 3, ms);
    bind(up, 4, module);
    bind(up, 5, m.version.text());
    if (sqlite3_step(up.get()) != SQLITE_DONE) throw_db("record progress of " + m.file_name);
  }

  // True when `m` is recorded already; a repeatable migration only with the same text.
  bool has_row(const Migration& m, const std::string& module) {
    Use st = cached(
        fmt::format("SELECT 1 FROM \"{}\" WHERE module = ? AND version = ?{}", history_.table,
                    m.version.is_repeatable() ? " AND sha256 = ? AND state = 'applied'" : ""));
    bind(st, 1, module);
    bind(st, 2, m.version.text());
    if (m.version.is_repeatable()) bind(st, 3, m.sha256);
    const int rc = sqlite3_step(st.get());
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) throw_db("read the history table");
    return rc == SQLITE_ROW;
  }

  // A repeatable migration keeps one row: its last run.
  void delete_row(const Migration& m, const std::string& module) {
    Use st =
        cached(fmt::format("DELETE FROM \"{}\" WHERE module = ? AND version = ?", history_.table));
    bind(st, 1, module);
    bind(st, 2, m.version.text());
    if (sqlite3_step(st.get()) != SQLITE_DONE) throw_db("record " + m.file_name);
  }

  // The pager's data version: it changes with every commit that reaches the file, this
  // connection's or another's (seen when a transaction begins). nullopt where the VFS has none.
  std::optional<unsigned> data_version() {
    unsigned v = 0;
    if (sqlite3_file_control(db_.get(), "main", SQLITE_FCNTL_DATA_VERSION, &v) != SQLITE_OK)
      return std::nullopt;
    return v;
  }

  // Inside a transaction, before writing: nothing but this connection's own work has been
  // committed since applied() read the history, so rows absent then are absent now.
  bool unchanged_since_read() { return read_at_ && data_version() == read_at_; }
  // After this connection's commit: the history is still known only if it was before.
  void committed(bool unchanged) { read_at_ = unchanged ? data_version() : std::nullopt; }

  // Runs `body` in one BEGIN IMMEDIATE transaction and commits it (`what` names the commit in
  // an error); anything thrown rolls it back and goes on.
  template <typename Body>
  void in_transaction(const std::string& what, Body&& body) {
    begin_immediate();
    try {
      std::forward<Body>(body)();
      exec_or_throw("COMMIT", what);
    } catch (...) {
      sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }

  void begin_immediate() {
    if (sqlite3_exec(db_.get(), "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK) return;
    if (sqlite3_errcode(db_.get()) == SQLITE_BUSY)
      throw TempFailError(fmt::format(
          "{} is locked by another runner; gave up waiting (raise --lock-timeout)", describe()));
    throw_db("begin a transaction");
  }

  Stmt prepare(const std::string& sql) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db_.get(), sql.c_str(), static_cast<int>(sql.size()), &raw, nullptr) !=
        SQLITE_OK)
      throw_db("prepare a statement");
    return Stmt(raw);
  }

  void exec_or_throw(const std::string& sql, const std::string& what) {
    if (sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK)
      throw_db(what);
  }

  // A statement prepared once for the connection's life (the history's INSERT, SELECT,
  // UPDATE and DELETE run once per file); reset and unbound when the use ends, so it never
  // holds a read open past its step.
  class Use {
   public:
    explicit Use(sqlite3_stmt* s) : s_(s) {}
    Use(const Use&) = delete;
    Use& operator=(const Use&) = delete;
    ~Use() {
      sqlite3_reset(s_);
      sqlite3_clear_bindings(s_);
    }
    sqlite3_stmt* get() const { return s_; }

   private:
    sqlite3_stmt* s_;
  };

  Use cached(const std::string& sql) {
    auto it = cache_.find(sql);
    if (it == cache_.end()) it = cache_.emplace(sql, prepare(sql)).first;
    return Use(it->second.get());
  }

  template <typename S>
  static void bind(S& st, int index, const std::string& value) {
    sqlite3_bind_text(st.get(), index, value.data(), static_cast<int>(value.size()),
                      SQLITE_TRANSIENT);
  }

  static std::string text(Stmt& st, int col) {
    const auto* p = sqlite3_column_text(st.get(), col);
    return p == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(p));
  }

  [[noreturn]] void throw_db(const std::string& what) {
    throw_unwritable();
    if (sqlite3_errcode(db_.get()) == SQLITE_BUSY)
      throw TempFailError(fmt::format(
          "unable to {} in {}: database is locked (raise --lock-timeout)", what, describe()));
    throw DataError(fmt::format("unable to {} in {}: {}{}", what, describe(),
                                sqlite3_errmsg(db_.get()),
                                sqlite3_errcode(db_.get()) == SQLITE_FULL
                                    ? " (ENOSPC: no space left on the device that holds it)"
                                    : ""));
  }

  // Declared before db_, so closed after the connection: closing any descriptor of the file
  // while SQLite holds record locks on it would release them (POSIX lock semantics).
  Fd lock_fd_;
  std::unique_ptr<sqlite3, DbCloser> db_;
  std::map<std::string, Stmt> cache_;  // after db_: finalized before the connection closes
  std::string denied_;                 // the transaction statement run_script refused, if any
  // The data version when applied() read the history, advanced by each apply() that found it
  // unchanged; nullopt once anything else may have been committed.
  std::optional<unsigned> read_at_;
  std::string path_;
  HistoryConfig history_;
};

}  // namespace

std::unique_ptr<Database> open_sqlite(const std::string& path, const HistoryConfig& history,
                                      bool writable) {
  sqlite3* raw = nullptr;
  struct stat st {};
  if (!writable && ::stat(path.c_str(), &st) != 0 && errno == ENOENT)
    throw UnavailableError(fmt::format(
        "sqlite:{} does not exist: nothing has been applied there yet (run 'migrate apply'), "
        "or the path is wrong",
        path));
  const int rc = writable ? sqlite3_open_v2(path.c_str(), &raw,
                                            SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr)
                          : sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  std::unique_ptr<sqlite3, DbCloser> db(raw);
  if (rc != SQLITE_OK) {
    const int err = raw != nullptr ? sqlite3_system_errno(raw) : 0;
    const std::string why = err != 0         ? std::strerror(err)
                            : raw != nullptr ? sqlite3_errmsg(raw)
                                             : "out of memory";
    // SQLite retries read-only after a failed create, so its errno may be that retry's ENOENT:
    // ask the folder itself whether it can be written.
    const auto slash = path.rfind('/');
    const std::string dir =
        slash == std::string::npos ? "." : path.substr(0, std::max<std::size_t>(slash, 1));
    if (writable && ::access(dir.c_str(), W_OK) != 0 &&
        (errno == EROFS || errno == EACCES || errno == EPERM))
      throw PermissionError(
          fmt::format("unable to create sqlite:{}: its folder {} cannot be written ({})", path, dir,
                      std::strerror(errno)));
    throw UnavailableError(fmt::format("unable to open sqlite:{}: {}", path, why));
  }
  // SQLite opens a file it cannot write read-only without a word: say so before any work.
  if (writable && sqlite3_db_readonly(db.get(), "main") == 1)
    throw PermissionError(fmt::format(
        "sqlite:{} is read-only (its permissions or a read-only mount): migrate needs to write "
        "it; mount it read-write, or give it to the user migrate runs as",
        path));
  // The journal mode is the application's choice and is left alone; the busy timeout covers
  // several runners creating the history table at once.
  sqlite3_busy_timeout(db.get(), 5000);
  return std::make_unique<SqliteDatabase>(db.release(), path, history);
}

}  // namespace ballast::migrate
