#include "migrate/adopt.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "common/error.hpp"
#include "common/parse.hpp"
#include "migrate/review_policy.hpp"

namespace ballast::migrate {
namespace {

// The other tools' versions: whole numbers of any length, Flyway's dotted ones.
std::optional<Version> whole_number(std::string_view s) { return Version::parse(s); }

std::string value(const std::optional<std::string>& v) { return v.value_or(""); }

}  // namespace

std::optional<Tool> parse_tool(std::string_view name) {
  if (name == "dbmate") return Tool::kDbmate;
  if (name == "golang-migrate") return Tool::kGolangMigrate;
  if (name == "flyway") return Tool::kFlyway;
  if (name == "prisma") return Tool::kPrisma;
  if (name == "drizzle") return Tool::kDrizzle;
  return std::nullopt;
}

std::vector<ForeignEntry> read_foreign_history(Database& db, Tool tool, bool postgres) {
  std::string table;
  std::string sql;
  switch (tool) {
    case Tool::kDbmate:
      table = "schema_migrations";
      sql = "SELECT version FROM schema_migrations";
      break;
    case Tool::kGolangMigrate:
      table = "schema_migrations";
      sql = "SELECT version, CASE WHEN dirty THEN 1 ELSE 0 END FROM schema_migrations";
      break;
    case Tool::kFlyway:
      table = "flyway_schema_history";
      sql =
          "SELECT version, CASE WHEN success THEN 1 ELSE 0 END, script FROM flyway_schema_history "
          "WHERE version IS "
          "NOT NULL";
      break;
    case Tool::kPrisma:
      table = "_prisma_migrations";
      sql =
          "SELECT migration_name, CASE WHEN finished_at IS NULL THEN 0 ELSE 1 END, CASE WHEN "
          "rolled_back_at IS NULL "
          "THEN 0 ELSE 1 END FROM _prisma_migrations";
      break;
    case Tool::kDrizzle:
      table = postgres ? "drizzle.__drizzle_migrations" : "__drizzle_migrations";
      sql = fmt::format("SELECT hash, created_at FROM {}", table);
      break;
  }
  if (!db.has_table(table))
    throw DataError(fmt::format("no {} table in {}: nothing to adopt (is --from right?)", table,
                                db.describe()));
  std::vector<ForeignEntry> out;
  for (const auto& row : db.read_rows(sql)) {
    ForeignEntry e;
    switch (tool) {
      case Tool::kDbmate:
        e.label = value(row[0]);
        e.version = whole_number(e.label);
        break;
      case Tool::kGolangMigrate:
        e.label = value(row[0]);
        e.version = whole_number(e.label);
        e.failed = value(row[1]) == "1";
        break;
      case Tool::kFlyway:
        e.label = fmt::format("{} ({})", value(row[0]), value(row[2]));
        e.version = whole_number(value(row[0]));
        e.failed = value(row[1]) != "1";
        break;
      case Tool::kPrisma: {
        e.label = value(row[0]);
        if (value(row[2]) == "1") continue;  // rolled back: not applied
        e.failed = value(row[1]) != "1";
        e.version = whole_number(e.label.substr(0, e.label.find('_')));
        break;
      }
      case Tool::kDrizzle:
        e.hash = value(row[0]);
        e.label = fmt::format("hash {}... (created_at {})", e.hash.substr(0, 12), value(row[1]));
        break;
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<const Migration*> plan_adoption(Tool tool, const std::vector<ForeignEntry>& entries,
                                            const std::vector<Migration>& files) {
  std::vector<std::string> problems;
  std::vector<const Migration*> out;
  const auto by_version = [&](const Version& v) -> const Migration* {
    const auto it = std::find_if(files.begin(), files.end(),
                                 [&](const Migration& m) { return m.version == v; });
    return it == files.end() ? nullptr : &*it;
  };
  for (const auto& e : entries) {
    if (e.failed) {
      problems.push_back(fmt::format(
          "{} is marked failed or dirty in the other tool's history: repair it there first",
          e.label));
      continue;
    }
    const Migration* m = nullptr;
    if (tool == Tool::kDrizzle) {
      const auto it = std::find_if(files.begin(), files.end(),
                                   [&](const Migration& f) { return f.sha256 == e.hash; });
      if (it != files.end()) m = &*it;
    } else if (!e.version) {
      problems.push_back(fmt::format("{}: not a version Ballast can match", e.label));
      continue;
    } else {
      m = by_version(*e.version);
    }
    if (m == nullptr) {
      problems.push_back(fmt::format(
          "{} is applied but has no local migration file: add the file first", e.label));
      continue;
    }
    if (tool == Tool::kGolangMigrate) {
      for (const auto& f : files)
        if (f.version <= m->version) out.push_back(&f);
    } else {
      out.push_back(m);
    }
  }
  if (!problems.empty()) refuse("refusing to adopt, nothing changed", problems);
  std::sort(out.begin(), out.end(),
            [](const Migration* a, const Migration* b) { return a->version < b->version; });
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace ballast::migrate
