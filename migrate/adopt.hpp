#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "migrate/database.hpp"
#include "migrate/migration_file.hpp"

// Taking over another tool's history: its applied migrations are recorded in Ballast's history
// (with their checksums) without running anything.
namespace ballast::migrate {

enum class Tool { kDbmate, kGolangMigrate, kFlyway, kPrisma, kDrizzle };

// Parses "dbmate", "golang-migrate", "flyway", "prisma" or "drizzle"; nullopt otherwise.
std::optional<Tool> parse_tool(std::string_view name);

// One row of the other tool's history, reduced to what adoption needs.
struct ForeignEntry {
  std::optional<Version> version;  // dbmate, golang-migrate, flyway, prisma
  std::string hash;                // drizzle: sha256 of the file
  std::string label;               // as the other tool names it, for messages
  bool failed = false;             // dirty, unsuccessful, unfinished
};

// Reads the other tool's history table from `db`. Throws DataError when the table is missing.
std::vector<ForeignEntry> read_foreign_history(Database& db, Tool tool, bool postgres);

// Matches the other tool's entries to local files: the files to record, or DataError listing
// every problem (a failed or dirty entry, an entry with no local file, a version that is not a
// whole number). golang-migrate keeps only its current version: every local file up to it
// counts as applied.
std::vector<const Migration*> plan_adoption(Tool tool, const std::vector<ForeignEntry>& entries,
                                            const std::vector<Migration>& files);

}  // namespace ballast::migrate
