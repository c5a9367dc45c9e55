#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "migrate/database.hpp"
#include "migrate/migration_file.hpp"

namespace ballast::migrate {

// Where one migration stands.
enum class State {
  kApplied,  // in the history with the file's hash
  kPending,  // file present, not in the history
  kFailed,   // the history says it failed part-way (no-transaction files)
  kChanged,  // applied, but the file's bytes changed since
  kMissing,  // in the history, no file any more
};

// One row of `migrate status`.
struct StatusRow {
  std::string module;
  std::uint64_t version = 0;
  std::string name;
  State state = State::kPending;
  std::string applied_at;           // "" unless in the history
  const Migration* file = nullptr;  // nullptr for kMissing
};

// Joins the files of one module with the history rows of that module, ordered by version.
// Pure: the decision of what is pending lives here and nowhere else.
std::vector<StatusRow> compute_status(const std::vector<Migration>& files,
                                      const std::vector<AppliedRow>& history,
                                      const std::string& module);

// "applied", "pending", "failed", "changed", "missing".
std::string_view to_string(State state);

}  // namespace ballast::migrate
