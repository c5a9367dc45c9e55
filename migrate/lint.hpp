#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "migrate/lint_waiver.hpp"
#include "migrate/migration_file.hpp"
#include "migrate/sql_position.hpp"

// The lint of dangerous DDL: statements that lock a live table for as long as they scan or
// rewrite it, or break the release still serving traffic during a rolling update. PostgreSQL
// files are read from libpg_query's parse trees; SQLite files statement by statement. Each
// rule has a stable id (the same id squawk uses where the rule is the same) and a page in
// docs/lint/. A file can allow a finding with a comment the review hash covers:
//   -- migrate:allow RULE_ID because REASON
namespace ballast::migrate {

struct LintRule {
  std::string_view id;
  bool blocking;         // refuses apply in prod unless allowed; otherwise a warning
  std::string_view why;  // one line: what it locks or breaks
};

// Every rule, blocking ones first.
std::span<const LintRule> lint_rules();
const LintRule* find_lint_rule(std::string_view id);

struct LintOptions {
  // apply sets lock_timeout itself (--pg-lock-timeout): files need not. When false, a file
  // that takes locks on existing tables without SET lock_timeout gets require-lock-timeout.
  bool apply_sets_lock_timeout = true;
};

struct LintFinding {
  std::string rule;
  bool blocking = false;     // the rule's severity; false once allowed
  std::size_t line = 0;      // 1-based line of the statement in the file
  std::string message = {};  // what and what to write instead
  bool allowed = false;      // a waiver in the file allows it
  std::string reason = {};   // the waiver's reason
};

// The findings of one migration, waivers applied, in line order. Findings about the waivers
// themselves come with them: "lint-waiver" (blocking) for one without a reason or naming no
// rule, "unused-waiver" (a warning) for one that allows nothing. Text that does not parse
// gives no finding here (verify reports it as a syntax error).
std::vector<LintFinding> lint_migration(const Migration& m, SqlDialect dialect,
                                        const LintOptions& options = {});

// The same for SQL text and its waivers (unit tests and the fuzzer).
std::vector<LintFinding> lint_sql(std::string_view sql, const std::vector<LintWaiver>& waivers,
                                  SqlDialect dialect, bool no_transaction,
                                  const LintOptions& options = {});

// A finding as a Problem of `file` (verify, plan, status, apply): the rule id and line kept, an
// allowed finding a warning saying who allowed it and why.
Problem to_problem(const LintFinding& finding, std::string file);

// The engine-specific passes, before waivers: lint_postgres.cpp and lint_sqlite.cpp.
std::vector<LintFinding> lint_postgres(std::string_view sql, bool no_transaction,
                                       const LintOptions& options);
std::vector<LintFinding> lint_sqlite(std::string_view sql);

}  // namespace ballast::migrate
