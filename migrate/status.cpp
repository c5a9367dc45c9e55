#include "migrate/status.hpp"

#include <algorithm>
#include <map>

namespace ballast::migrate {

std::vector<StatusRow> compute_status(const std::vector<Migration>& files,
                                      const std::vector<AppliedRow>& history,
                                      const std::string& module) {
  std::map<Version, const AppliedRow*> by_version;
  for (const auto& row : history)
    if (row.module == module) by_version[row.version] = &row;

  std::vector<StatusRow> rows;
  rows.reserve(files.size() + by_version.size());
  for (const auto& f : files) {
    StatusRow r{module, f.version, f.name, State::kPending, "", &f};
    if (const auto it = by_version.find(f.version); it != by_version.end()) {
      const AppliedRow& h = *it->second;
      r.applied_at = h.applied_at;
      if (h.state != "applied")
        r.state = State::kFailed;
      else if (h.sha256 != f.sha256)
        // A repeatable migration runs again whenever its text changes (Flyway's R__ files).
        r.state = f.version.is_repeatable() ? State::kPending : State::kChanged;
      else
        r.state = State::kApplied;
      by_version.erase(it);
    }
    rows.push_back(r);
  }
  std::optional<Version> highest_file;
  for (const auto& f : files)
    if (!f.version.is_repeatable() && (!highest_file || *highest_file < f.version))
      highest_file = f.version;
  for (const auto& [version, h] : by_version)
    rows.push_back(StatusRow{module, version, h->name,
                             !version.is_repeatable() && (!highest_file || *highest_file < version)
                                 ? State::kAhead
                                 : State::kMissing,
                             h->applied_at, nullptr});
  std::sort(rows.begin(), rows.end(),
            [](const StatusRow& a, const StatusRow& b) { return a.version < b.version; });
  return rows;
}

bool is_ready(State state) {
  return state == State::kApplied || state == State::kAhead || state == State::kMissing;
}

std::string_view to_string(State state) {
  switch (state) {
    case State::kApplied:
      return "applied";
    case State::kPending:
      return "pending";
    case State::kFailed:
      return "failed";
    case State::kChanged:
      return "changed";
    case State::kMissing:
      return "missing";
    case State::kAhead:
      return "ahead";
  }
  return "unknown";
}

}  // namespace ballast::migrate
