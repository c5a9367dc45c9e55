#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "migrate/database.hpp"
#include "migrate/migration_file.hpp"

// Taking over another tool's history: its applied migrations are recorded in Ballast's history
// (with their checksums) without running anything.
namespace ballast::migrate {

enum class Tool {
  kDbmate,         // schema_migrations(version)
  kGolangMigrate,  // schema_migrations(version, dirty): one row, the current version
  kGoose,          // goose_db_version(id, version_id, is_applied)
  kSqlx,           // _sqlx_migrations(version, success, ...)
  kDiesel,         // __diesel_schema_migrations(version, run_on)
  kPrisma,         // _prisma_migrations(migration_name, finished_at, rolled_back_at, ...)
  kDrizzle,        // __drizzle_migrations(hash, created_at): matched by the file's sha256
  kFlyway,         // flyway_schema_history(version, script, checksum, success, ...)
  kPopx,           // schema_migration(version)
};

// Parses a tool's name as `adopt --from` takes it; nullopt otherwise.
std::optional<Tool> parse_tool(std::string_view name);
inline constexpr const char* kToolNames =
    "dbmate, golang-migrate, goose, sqlx, diesel, prisma, drizzle, flyway or popx";

// One row of the other tool's history, reduced to what adoption needs.
struct ForeignEntry {
  std::optional<Version> version;  // every tool but drizzle; a repeatable for Flyway's R__
  std::string hash;                // drizzle: sha256 of the file
  std::optional<std::int32_t> flyway_checksum;  // Flyway's repeatables: its CRC-32 of the file
  std::string label;                            // as the other tool names it, for messages
  bool failed = false;                          // dirty, unsuccessful, unfinished
};

// Reads the other tool's history table from `db`. Throws DataError when the table is missing.
std::vector<ForeignEntry> read_foreign_history(Database& db, Tool tool, bool postgres);

// Matches the other tool's entries to local files: the files to record, or DataError listing
// every problem (a failed or dirty entry, an entry with no local file, a version Ballast cannot
// read). golang-migrate keeps only its current version: every local file up to it counts as
// applied. A Flyway repeatable whose file changed since Flyway last ran it is left out: apply
// runs it again, as Flyway would have.
std::vector<const Migration*> plan_adoption(Tool tool, const std::vector<ForeignEntry>& entries,
                                            const std::vector<Migration>& files);

}  // namespace ballast::migrate
