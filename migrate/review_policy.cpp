#include "migrate/review_policy.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "common/error.hpp"

namespace ballast::migrate {
namespace {

// The review problems of one file, whatever its state.
void review_of(const Migration& m, const Ledger& ledger, bool blocking, std::vector<Problem>& out) {
  if (m.generated)
    out.push_back({m.file_name,
                   fmt::format("generated ({}): migrations must be written and reviewed by hand",
                               *m.generated),
                   blocking, "generated"});
  const auto it = ledger.sha256_by_file.find(m.file_name);
  if (it == ledger.sha256_by_file.end()) {
    out.push_back({m.file_name,
                   fmt::format("not reviewed: not in {} (after review, run: migrate review {})",
                               kLedgerName, m.file_name),
                   blocking, "not-reviewed"});
  } else if (it->second != m.sha256) {
    out.push_back(
        {m.file_name,
         fmt::format("changed since review: {} says {}..., the file is {}... (review it again)",
                     kLedgerName, it->second.substr(0, 12), m.sha256.substr(0, 12)),
         blocking, "changed-since-review"});
  }
}

}  // namespace

std::vector<Problem> judge(const std::vector<StatusRow>& rows, const Ledger& ledger,
                           const PolicyOptions& o) {
  std::vector<Problem> out;
  // Repeatable migrations have no place in the version order: they run after the others.
  std::optional<Version> highest_applied;
  for (const auto& r : rows) {
    if (!r.version.is_repeatable() &&
        (r.state == State::kApplied || r.state == State::kChanged || r.state == State::kMissing ||
         r.state == State::kAhead) &&
        (!highest_applied || *highest_applied < r.version))
      highest_applied = r.version;
  }
  for (const auto& r : rows) {
    const std::string name = r.file ? r.file->file_name : r.name;
    switch (r.state) {
      case State::kFailed:
        out.push_back(
            {name,
             fmt::format("failed part-way in an earlier run: fix the database by hand, then run "
                         "'migrate resolve {} --applied' or '--rolled-back'",
                         r.version.text()),
             true, "failed"});
        break;
      case State::kChanged:
        out.push_back({name,
                       "changed after it was applied: restore the applied version and put the "
                       "change in a new "
                       "migration (or pass --allow-changed)",
                       !o.allow_changed, "changed-after-apply"});
        break;
      case State::kPending:
        review_of(*r.file, ledger, o.prod, out);
        for (const auto& f : lint_migration(*r.file, o.dialect, o.lint)) {
          if (f.rule == "unused-waiver") continue;  // verify's business, not a release's
          auto p = to_problem(f, name);
          p.blocking = p.blocking && o.prod;
          out.push_back(std::move(p));
        }
        if (highest_applied && !r.version.is_repeatable() && r.version < *highest_applied)
          out.push_back(
              {name,
               fmt::format("out of order: version {} is below the highest applied, {} (pass "
                           "--allow-out-of-order if that is intended)",
                           r.version.text(), highest_applied->text()),
               o.prod && !o.allow_out_of_order, "out-of-order"});
        break;
      default:
        break;
    }
  }
  return out;
}

std::vector<Problem> review_problems(const std::vector<Migration>& files, const Ledger& ledger) {
  std::vector<Problem> out;
  std::set<std::string> names;
  for (const auto& m : files) {
    names.insert(m.file_name);
    review_of(m, ledger, true, out);
  }
  for (const auto& [file, hex] : ledger.sha256_by_file)
    if (!names.count(file))
      out.push_back({file, fmt::format("in {} but there is no such migration", kLedgerName), true,
                     "reviewed-but-missing"});
  return out;
}

void refuse(std::string_view what, const std::vector<std::string>& items) {
  std::string all =
      fmt::format("{} ({} problem{}):", what, items.size(), items.size() == 1 ? "" : "s");
  for (const auto& item : items) all += "\n  " + item;
  throw DataError(all);
}

void refuse(std::string_view what, const std::vector<Problem>& problems) {
  std::vector<std::string> items;
  items.reserve(problems.size());
  for (const auto& p : problems) items.push_back(fmt::format("{}: {}", p.file, p.reason));
  refuse(what, items);
}

}  // namespace ballast::migrate
