#include "migrate/lint.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <set>

#include "common/text.hpp"

namespace ballast::migrate {
namespace {

// Blocking rules lock a live table for as long as a scan or rewrite takes, destroy data, or
// break the release still serving traffic during a rolling update. The others are advice.
constexpr std::array kRules{
    LintRule{"require-concurrent-index-creation", true,
             "CREATE INDEX without CONCURRENTLY blocks every write to the table while the "
             "index builds"},
    LintRule{"constraint-missing-not-valid", true,
             "a CHECK constraint added without NOT VALID scans the whole table under an ACCESS "
             "EXCLUSIVE lock"},
    LintRule{"adding-foreign-key-constraint", true,
             "a FOREIGN KEY added without NOT VALID scans the table while blocking writes to it "
             "and to the table it references"},
    LintRule{"adding-not-nullable-field", true,
             "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock"},
    LintRule{"adding-required-field", true,
             "a NOT NULL column without a default fails on a table with rows, and the release "
             "still running inserts rows without it"},
    LintRule{"adding-field-with-default", true,
             "a column with a volatile default (or a stored generated or identity column) "
             "rewrites the table under an ACCESS EXCLUSIVE lock"},
    LintRule{"changing-column-type", true,
             "ALTER COLUMN TYPE rewrites the table and its indexes under an ACCESS EXCLUSIVE "
             "lock"},
    LintRule{"disallowed-unique-constraint", true,
             "a UNIQUE constraint builds its index under an ACCESS EXCLUSIVE lock"},
    LintRule{"adding-serial-primary-key-field", true,
             "a PRIMARY KEY added to an existing table builds its index under an ACCESS "
             "EXCLUSIVE lock"},
    LintRule{"renaming-column", true, "the release still serving traffic uses the old column name"},
    LintRule{"renaming-table", true, "the release still serving traffic uses the old table name"},
    LintRule{"ban-drop-column", true,
             "the release still serving traffic reads the column, and its data is gone"},
    LintRule{"ban-drop-table", true,
             "the release still serving traffic reads the table, and its data is gone"},
    LintRule{"ban-drop-database", true, "the whole database is gone"},
    LintRule{"ban-truncate-cascade", true,
             "TRUNCATE ... CASCADE also empties every table that references this one"},
    LintRule{"require-concurrent-reindex", true,
             "REINDEX without CONCURRENTLY blocks writes to the table while it rebuilds"},
    LintRule{"require-concurrent-partition-detach", true,
             "DETACH PARTITION without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the "
             "partitioned table"},
    LintRule{"lint-waiver", true,
             "a waiver must name a rule and say why: -- migrate:allow RULE because REASON"},
    LintRule{"require-concurrent-index-deletion", false,
             "DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the table"},
    LintRule{"ban-drop-not-null", false,
             "once NULLs are written the NOT NULL constraint cannot come back without a fix-up"},
    LintRule{"require-lock-timeout", false,
             "a statement waiting for its lock queues every later query on that table behind it"},
    LintRule{"prefer-robust-stmts", false,
             "a no-transaction file cut off half-way runs again from its start"},
    LintRule{"prefer-bigint-over-int", false, "an integer key runs out at 2,147,483,647"},
    LintRule{"prefer-bigint-over-smallint", false, "a smallint runs out at 32,767"},
    LintRule{"prefer-identity", false,
             "serial columns leave their sequence's ownership and grants to be managed by hand"},
    LintRule{"prefer-timestamp-tz", false,
             "timestamp without time zone changes meaning with the session's time zone"},
    LintRule{"ban-char-field", false, "char(n) pads with spaces and is no faster than text"},
    LintRule{"prefer-text-field", false,
             "changing a varchar(n) limit later takes an ACCESS EXCLUSIVE lock; use text with a "
             "CHECK"},
    LintRule{"ban-create-domain-with-constraint", false,
             "a domain's CHECK is checked on every column using it, and changing it scans them "
             "all"},
    LintRule{"ban-alter-domain-with-add-constraint", false,
             "adding a domain constraint scans every column of that domain under lock"},
    LintRule{"unused-waiver", false, "a waiver for a rule that does not fire in this file"},
};

}  // namespace

std::span<const LintRule> lint_rules() { return kRules; }

const LintRule* find_lint_rule(std::string_view id) {
  const auto it =
      std::find_if(kRules.begin(), kRules.end(), [&](const LintRule& r) { return r.id == id; });
  return it == kRules.end() ? nullptr : &*it;
}

std::vector<LintFinding> lint_sql(std::string_view sql, const std::vector<LintWaiver>& waivers,
                                  SqlDialect dialect, bool no_transaction,
                                  const LintOptions& options) {
  std::vector<LintFinding> out = dialect == SqlDialect::kPostgres
                                     ? lint_postgres(sql, no_transaction, options)
                                     : lint_sqlite(sql);
  std::set<std::string> used;
  for (const auto& w : waivers) {
    const LintRule* rule = find_lint_rule(w.rule);
    if (rule == nullptr || w.reason.empty()) {
      out.push_back({"lint-waiver", true, w.line,
                     rule == nullptr
                         ? fmt::format("'-- migrate:allow {}' names no lint rule (the rules are "
                                       "listed in docs/lint/README.md)",
                                       shown(w.rule, 60))
                         : fmt::format("'-- migrate:allow {}' gives no reason: write "
                                       "'-- migrate:allow {} because WHY' (the reason is what "
                                       "the reviewer approves)",
                                       w.rule, w.rule)});
      continue;
    }
    bool any = false;
    for (auto& f : out) {
      if (f.rule != w.rule || f.allowed) continue;
      f.allowed = true;
      f.blocking = false;
      f.reason = w.reason;
      any = true;
    }
    if (any) used.insert(w.rule);
  }
  for (const auto& w : waivers) {
    const LintRule* rule = find_lint_rule(w.rule);
    if (rule != nullptr && !w.reason.empty() && !used.count(w.rule))
      out.push_back({"unused-waiver", false, w.line,
                     fmt::format("'-- migrate:allow {}' allows nothing: no statement of this "
                                 "file breaks that rule (remove the comment)",
                                 w.rule)});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const LintFinding& a, const LintFinding& b) { return a.line < b.line; });
  return out;
}

Problem to_problem(const LintFinding& f, std::string file) {
  return {std::move(file),
          f.allowed ? fmt::format("line {}: {} (allowed: {})", f.line, f.message, f.reason)
                    : fmt::format("line {}: {} [{}]", f.line, f.message, f.rule),
          f.blocking, f.rule, f.line};
}

std::vector<LintFinding> lint_migration(const Migration& m, SqlDialect dialect,
                                        const LintOptions& options) {
  return lint_sql(m.sql, m.waivers, dialect, m.no_transaction, options);
}

}  // namespace ballast::migrate
