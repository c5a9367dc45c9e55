#pragma once

#include <string>
#include <vector>

#include "migrate/config.hpp"
#include "migrate/database.hpp"

// `apply --backup DIR`: before the first pending file runs, an online copy of the SQLite
// database through SQLite's backup API, named after when it was taken and the version it
// holds (app-20261204T051502.123Z-v41.sqlite3), the last --backup-keep kept. Restoring is
// copying it back while the application is stopped (docs/migrate.md).
namespace ballast::migrate {

// Takes the copy and prunes the older ones; returns the copy's path. Throws PermissionError
// when it cannot be written (then nothing is applied), UsageError on PostgreSQL.
std::string take_backup(const Config& config, Database& db, const std::vector<AppliedRow>& history);

// The copies of `stem` in `dir`, oldest first (their names sort by time).
std::vector<std::string> list_backups(const std::string& dir, const std::string& stem);

}  // namespace ballast::migrate
