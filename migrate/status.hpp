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
  kMissing,  // in the history, no file any more, below this image's highest version
  kAhead,    // in the history above this image's highest version: a newer release applied it
};

// True when a readiness check may pass with this row: applied here, or applied by a newer
// release (ahead), or history this image has no file for. Pending, failed and changed rows
// are this image's own files in a state it cannot serve with.
bool is_ready(State state);

// One row of `migrate status`.
struct StatusRow {
  std::string module;
  Version version;
  std::string name;
  State state = State::kPending;
  std::string applied_at;           // "" unless in the history
  const Migration* file = nullptr;  // nullptr for kMissing
};

// Joins the files of one module with the history rows of that module, ordered by version.
// History rows without a file are kAhead above the highest version of `files` (a rolling
// update: the new release's rows seen from the old image), else kMissing.
// Pure: the decision of what is pending lives here and nowhere else.
std::vector<StatusRow> compute_status(const std::vector<Migration>& files,
                                      const std::vector<AppliedRow>& history,
                                      const std::string& module);

// "applied", "pending", "failed", "changed", "missing", "ahead".
std::string_view to_string(State state);

}  // namespace ballast::migrate
