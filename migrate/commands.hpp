#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "migrate/config.hpp"
#include "migrate/database.hpp"

namespace ballast::migrate {

// Opens the configured database, writable (apply, adopt, resolve: a missing SQLite file is
// created) or not (status, plan, wait, version, review: never created, never written). run.cpp
// passes the real one (workspace.hpp's connect); unit tests pass a recording fake.
using OpenDatabase = std::function<std::unique_ptr<Database>(bool writable)>;

// `migrate apply`: applies every pending migration in version order, each in its own
// transaction with its history row (or all in one with --single-transaction), under the
// migration lock. Refuses before writing anything (DataError, every problem listed) when the
// review policy blocks. Throws DataError, TempFailError (lock), UnavailableError.
int apply_command(const Config& config, const OpenDatabase& open);

// `migrate status`: one row per migration on stdout (or a JSON document with `json`), the
// review verdicts included ("refused" rows). Never writes. With `exit_code` it is a readiness
// check: 1 when one of this image's own files is pending, failed, changed or refused; rows a
// newer release applied ("ahead", during a rolling update) do not count. Else 0. A missing
// SQLite file is UnavailableError (69).
int status_command(const Config& config, const OpenDatabase& open, bool json, bool exit_code);

// `migrate wait`: blocks until every migration of this image is applied (exit 0), for app
// replicas that must not start before the release job. Gives up after `timeout`:
// UnavailableError (69) when the database never answered, TempFailError (75) when files are
// still pending; DataError (65) at once for a failed or changed row, which waiting cannot mend.
int wait_command(const Config& config, const OpenDatabase& open, std::chrono::milliseconds timeout);

// `migrate version`: prints the highest applied version of the application's migrations
// (golang-migrate's and goose's `version`), or "none". Never writes.
int version_command(const OpenDatabase& open);

// `migrate plan`: what apply would do, file by file, and every policy verdict. Never writes.
// Returns 0 when apply would go ahead, 65 when it would refuse.
// With `json`, one JSON object: would_apply, database, pending files, problems.
int plan_command(const Config& config, const OpenDatabase& open, bool json);

// `migrate verify`: offline checks for CI — names, duplicate versions, the review ledger,
// generated files, and syntax (PostgreSQL: libpg_query; SQLite: every file run in order
// against an in-memory database). Returns 0, or throws DataError (65) listing every problem.
// With `json`, one JSON object on stdout (ok, dialect, counts, problems with file, line, rule,
// severity, message) and exit 65 when there are problems, instead of the error text. The
// dialect: config.dialect when a URL or --dialect gave it, else what the folder says (prisma,
// drizzle, popx names), else SQLite.
int verify_command(const Config& config, bool json);

// `migrate review FILE... | --all`: records the sha256 of hand-written files in reviewed.sum
// and prints "added", "updated" or "unchanged" with each file and hash. Refused in prod
// (ConfigError) and for generated files; a file changed since its review is re-recorded only
// while it is unapplied (the history is read to know), unless `force`.
int review_command(const Config& config, const OpenDatabase& open,
                   const std::vector<std::string>& files, bool all, bool force);

// `migrate new NAME`: creates the next version's file from a short template and prints its
// path; NAME is made a slug ("add email" -> add_email) and a missing folder is created.
// Refused in prod.
int new_command(const Config& config, const std::string& name);

// `migrate pin ID`: writes the module's current folder digest into the modules file and
// prints it. Refused in prod.
int pin_command(const Config& config, const std::string& id);

// `migrate adopt --from TOOL`: records every migration the other tool's history lists as
// applied (matched to local files) in Ballast's history, with checksums, running nothing.
// Refuses, changing nothing, on a dirty or failed entry or one with no local file.
int adopt_command(const Config& config, const OpenDatabase& open, const std::string& from);

// `migrate schema`: prints the live schema as deterministic text (schema.hpp). Never writes.
int schema_command(const Config& config, const OpenDatabase& open);

// `migrate drift`: compares the live schema with the one recorded at the last apply that
// changed something, one line per object added, removed or changed by hand. Exit 0 without
// drift, 1 with drift or when no schema was recorded yet. With `json`, one JSON object.
int drift_command(const Config& config, const OpenDatabase& open, bool json);

// After an apply that changed something: records the live schema in the database (on the
// history row of `module`/`last`, the migration applied last) and writes it to
// config.schema_file when given.
void record_schema_after_apply(const Config& config, Database& db, const std::string& module,
                               const Version& last);

// The drift lines against the recorded schema (empty: none), or nullopt when none is recorded.
std::optional<std::vector<std::string>> drift_of(const Config& config, Database& db);

// `migrate resolve VERSION --applied|--rolled-back`: clears a failed no-transaction run.
int resolve_command(const Config& config, const OpenDatabase& open, const std::string& version,
                    bool applied);

}  // namespace ballast::migrate
