#include <fmt/format.h>
#include <sqlite3.h>

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "common/exit_code.hpp"
#include "common/log.hpp"
#include "migrate/commands.hpp"
#include "migrate/lint.hpp"
#include "migrate/sql_position.hpp"
#include "migrate/sql_split.hpp"
#include "migrate/workspace.hpp"

namespace ballast::migrate {
namespace {

// Runs one file statement by statement against `db`; the first error with its line. SQLite
// cannot check a statement without the tables it names, so files run in order against one
// in-memory database.
std::optional<SyntaxError> sqlite_error(sqlite3* db, const std::string& sql) {
  // SQLite stops reading at a NUL byte; what follows it would never run.
  if (const auto nul = sql.find('\0'); nul != std::string::npos)
    return SyntaxError{line_of_byte(sql, nul),
                       "contains a NUL byte: SQLite would stop reading there"};
  const char* const base = sql.c_str();
  const char* rest = base;
  const char* const end = base + sql.size();
  while (rest < end) {
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    // The length includes the terminator, so SQLite need not copy the rest of the text.
    const int rc = sqlite3_prepare_v2(db, rest, static_cast<int>(end - rest) + 1, &stmt, &tail);
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> owned(stmt, sqlite3_finalize);
    const auto fail = [&] {
      const int off = sqlite3_error_offset(db);
      const std::size_t at =
          static_cast<std::size_t>(rest - base) + (off >= 0 ? static_cast<std::size_t>(off) : 0);
      const std::size_t line =
          off >= 0 ? line_of_byte(sql, at)
                   : line_of_byte(
                         sql, skip_space_and_comments(sql, static_cast<std::size_t>(rest - base),
                                                      SqlDialect::kSqlite));
      return SyntaxError{line, sqlite3_errmsg(db)};
    };
    if (rc != SQLITE_OK) return fail();
    if (stmt == nullptr || tail == nullptr || tail <= rest) break;  // only comments were left
    int step = SQLITE_ROW;
    while (step == SQLITE_ROW) step = sqlite3_step(stmt);
    if (step != SQLITE_DONE) return fail();
    rest = tail;
  }
  return std::nullopt;
}

}  // namespace

int verify_command(const Config& given, bool json) {
  // Without a URL or --dialect, the folder may say what it is written for (a prisma or
  // drizzle project for PostgreSQL): its SQL is checked as that, not as SQLite.
  Config config = given;
  std::optional<DialectHint> hint;
  config.dialect = files_dialect(given, &hint);
  if (hint)
    log::info("verify: checking {} as {} ({} says so; --dialect to choose)", given.dir,
              hint->dialect, hint->source);
  const std::string& dialect = config.dialect;
  const SqlDialect lint_dialect = sql_dialect(dialect);
  const LintOptions lint = lint_options(config);
  // Names, duplicates, up sections and module pins; with --json every problem is a value.
  const Workspace w = load_workspace(config, json);
  std::vector<Problem> problems;  // blocking: verify fails
  std::vector<Problem> warnings;
  const auto add = [&](Problem p) { (p.blocking ? problems : warnings).push_back(std::move(p)); };
  for (const auto& p : w.scan_problems) add(p);
  for (const auto& p : w.pin_problems) add(p);
  std::size_t count = 0;
  for (const auto& s : w.sources) {
    count += s.files.size();
    std::size_t unreviewed = 0;
    for (auto p : review_problems(s.files, s.ledger)) {
      p.file = s.shown(p.file);
      // A folder without reviewed.sum has not taken up review yet (another tool's folder,
      // read as it is): one warning says so, instead of an error per file. apply still
      // refuses unreviewed and generated files in prod.
      if (!s.ledger.present) {
        if (p.rule == "not-reviewed") {
          ++unreviewed;
          continue;
        }
        p.blocking = false;
      }
      add(std::move(p));
    }
    if (unreviewed > 0)
      add({s.dir + "/" + kLedgerName,
           fmt::format("absent: {} migration{} not reviewed; review is not in use here yet "
                       "(start with: migrate review --all); apply refuses unreviewed files in "
                       "prod",
                       unreviewed, unreviewed == 1 ? " is" : "s are"),
           false, "not-reviewed"});
    sqlite3* raw = nullptr;
    if (dialect != "postgres") sqlite3_open(":memory:", &raw);
    std::unique_ptr<sqlite3, int (*)(sqlite3*)> mem(raw, sqlite3_close);
    for (const auto& m : s.files) {
      if (!config.lint_from || !(m.version < *config.lint_from)) {
        // A blocking finding fails verify in a file not yet reviewed as it is (the change a
        // pull request brings). A file reviewed as it is was accepted before (most often
        // applied long ago: changing it now would change its hash), and a folder without
        // reviewed.sum is another tool's, read as it is: there they are warnings, and apply
        // still refuses such a file in prod while it is pending.
        const auto reviewed = s.ledger.sha256_by_file.find(m.file_name);
        const bool accepted = !s.ledger.present || (reviewed != s.ledger.sha256_by_file.end() &&
                                                    reviewed->second == m.sha256);
        for (const auto& f : lint_migration(m, lint_dialect, lint)) {
          Problem p = to_problem(f, s.shown(m.file_name));
          if (accepted && p.blocking && p.rule != "lint-waiver") {
            p.blocking = false;
            p.reason += s.ledger.present ? " (reviewed as it is: apply refuses it in prod while "
                                           "it is pending)"
                                         : "";
          }
          add(std::move(p));
        }
      }
      const auto err =
          dialect == "postgres" ? postgres_syntax_error(m.sql) : sqlite_error(mem.get(), m.sql);
      if (!err) continue;
      add({s.shown(m.file_name),
           dialect == "postgres"
               ? fmt::format("syntax error at line {}: {}", err->line, err->message)
               : fmt::format("fails on an empty SQLite database at line {}: {}", err->line,
                             err->message),
           true, "syntax", err->line});
    }
  }
  if (json) {
    std::vector<Problem> all = problems;
    all.insert(all.end(), warnings.begin(), warnings.end());
    const nlohmann::ordered_json out = {{"ok", problems.empty()},
                                        {"dialect", dialect},
                                        {"migrations", count},
                                        {"folders", w.sources.size()},
                                        {"problems", to_json(all)}};
    std::puts(out.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace).c_str());
    if (!problems.empty())
      log::error("verify found {} problem{} in {}", problems.size(),
                 problems.size() == 1 ? "" : "s", config.dir);
    return problems.empty() ? exit_code::kOk : exit_code::kData;
  }
  for (const auto& p : warnings)
    log::with({{"file", p.file}, {"rule", p.rule}}).warn("{}: {}", p.file, p.reason);
  if (!problems.empty()) refuse(fmt::format("verify found problems in {}", config.dir), problems);
  std::puts(fmt::format("verify: {} migration{} in {} folder{} are named, {} and parse as {}",
                        count, count == 1 ? "" : "s", w.sources.size(),
                        w.sources.size() == 1 ? "" : "s",
                        warnings.empty() ? "reviewed, hand-written" : "readable", dialect)
                .c_str());
  return exit_code::kOk;
}

}  // namespace ballast::migrate
