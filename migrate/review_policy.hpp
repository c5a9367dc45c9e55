#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "migrate/ledger.hpp"
#include "migrate/lint.hpp"
#include "migrate/problem.hpp"
#include "migrate/status.hpp"

namespace ballast::migrate {

// What the policy may be told to let through.
struct PolicyOptions {
  bool prod = false;
  bool allow_changed = false;       // an applied file changed since it was applied
  bool allow_out_of_order = false;  // a pending version below the highest applied one
  // Pending files are linted as this dialect: unallowed blocking findings refuse in prod.
  SqlDialect dialect = SqlDialect::kSqlite;
  LintOptions lint = {};
};

// Judges every row against the review rules. Pending files: not in the ledger, changed since
// review, generated, out of order, or with a blocking lint finding no waiver allows —
// blocking in prod, warnings elsewhere. Applied files
// changed since applied — blocking everywhere unless allow_changed. Failed files — blocking
// everywhere until `migrate resolve`. Pure: no I/O.
std::vector<Problem> judge(const std::vector<StatusRow>& rows, const Ledger& ledger,
                           const PolicyOptions& options);

// Review problems of every file, as `verify` reports them offline (no history): not in the
// ledger, changed since review, generated; plus ledger lines naming files that do not exist.
std::vector<Problem> review_problems(const std::vector<Migration>& files, const Ledger& ledger);

// Throws DataError (65): "WHAT (N problem[s]):" followed by one indented line per item, so
// every refusal lists everything wrong at once, in one shape.
[[noreturn]] void refuse(std::string_view what, const std::vector<std::string>& items);
// The same with one "FILE: REASON" line per problem.
[[noreturn]] void refuse(std::string_view what, const std::vector<Problem>& problems);

}  // namespace ballast::migrate
