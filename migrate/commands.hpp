#pragma once

#include <string>
#include <vector>

#include "migrate/config.hpp"

namespace ballast::migrate {

// `migrate apply`: applies every pending migration in version order, each in its own
// transaction with its history row (or all in one with --single-transaction), under the
// migration lock. Refuses before writing anything (DataError, every problem listed) when the
// review policy blocks. Throws DataError, TempFailError (lock), UnavailableError.
int apply_command(const Config& config);

// `migrate status`: one row per migration on stdout (or a JSON document with `json`), the
// review verdicts included ("refused" rows). Never writes. Returns 1 when `exit_code` is set
// and anything is not applied; else 0.
int status_command(const Config& config, bool json, bool exit_code);

// `migrate plan`: what apply would do, file by file, and every policy verdict. Never writes.
// Returns 0 when apply would go ahead, 65 when it would refuse.
int plan_command(const Config& config);

// `migrate verify`: offline checks for CI — names, duplicate versions, the review ledger,
// generated files, and syntax (PostgreSQL: libpg_query; SQLite: every file run in order
// against an in-memory database). Returns 0, or throws DataError (65) listing every problem.
int verify_command(const Config& config, const std::string& dialect);

// `migrate review FILE... | --all`: records the sha256 of hand-written files in reviewed.sum
// and prints each line it records. Refused in prod (ConfigError) and for generated files.
int review_command(const Config& config, const std::vector<std::string>& files, bool all);

// `migrate new NAME`: creates the next version's file from a short template and prints its
// path. Refused in prod.
int new_command(const Config& config, const std::string& name);

// `migrate pin ID`: writes the module's current folder digest into the modules file and
// prints it. Refused in prod.
int pin_command(const Config& config, const std::string& id);

// `migrate adopt --from TOOL`: records every migration the other tool's history lists as
// applied (matched to local files) in Ballast's history, with checksums, running nothing.
// Refuses, changing nothing, on a dirty or failed entry or one with no local file.
int adopt_command(const Config& config, const std::string& from);

// `migrate resolve VERSION --applied|--rolled-back`: clears a failed no-transaction run.
int resolve_command(const Config& config, const std::string& version, bool applied);

}  // namespace ballast::migrate
