#include "migrate/adopt.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cstdint>
#include <map>

#include "common/error.hpp"
#include "common/parse.hpp"
#include "common/text.hpp"
#include "migrate/review_policy.hpp"

namespace ballast::migrate {
namespace {

constexpr std::array<std::pair<std::string_view, Tool>, 9> kTools{{
    {"dbmate", Tool::kDbmate},
    {"golang-migrate", Tool::kGolangMigrate},
    {"goose", Tool::kGoose},
    {"sqlx", Tool::kSqlx},
    {"diesel", Tool::kDiesel},
    {"prisma", Tool::kPrisma},
    {"drizzle", Tool::kDrizzle},
    {"flyway", Tool::kFlyway},
    {"popx", Tool::kPopx},
}};

std::string value(const std::optional<std::string>& v) { return v.value_or(""); }

// Booleans as both engines return them as text: PostgreSQL "t"/"f", SQLite 1/0.
bool truthy(const std::optional<std::string>& v) {
  const std::string s = value(v);
  return s == "t" || s == "1" || s == "true" || s == "TRUE";
}

struct HistoryQuery {
  std::string table;
  std::string sql;
};

HistoryQuery query_for(Tool tool, bool postgres) {
  switch (tool) {
    case Tool::kDbmate:
      return {"schema_migrations", "SELECT version FROM schema_migrations"};
    case Tool::kGolangMigrate:
      return {"schema_migrations", "SELECT version, dirty FROM schema_migrations"};
    case Tool::kGoose:
      // Every apply and rollback is a row; the newest row of a version says where it stands.
      return {"goose_db_version",
              "SELECT version_id, is_applied FROM goose_db_version ORDER BY id"};
    case Tool::kSqlx:
      return {"_sqlx_migrations", "SELECT version, success, description FROM _sqlx_migrations"};
    case Tool::kDiesel:
      return {"__diesel_schema_migrations", "SELECT version FROM __diesel_schema_migrations"};
    case Tool::kPrisma:
      return {"_prisma_migrations",
              "SELECT migration_name, finished_at IS NOT NULL, rolled_back_at IS NOT NULL FROM "
              "_prisma_migrations"};
    case Tool::kDrizzle: {
      const std::string table = postgres ? "drizzle.__drizzle_migrations" : "__drizzle_migrations";
      return {table, fmt::format("SELECT hash, created_at FROM {}", table)};
    }
    case Tool::kFlyway:
      return {"flyway_schema_history",
              "SELECT version, success, script, checksum, type FROM flyway_schema_history ORDER "
              "BY installed_rank"};
    case Tool::kPopx:
      return {"schema_migration", "SELECT version FROM schema_migration"};
  }
  return {};
}

// The description of a Flyway R__ script name: "R__user_view.sql" -> "user_view".
std::optional<std::string> repeatable_name(std::string_view script) {
  const auto slash = script.rfind('/');
  if (slash != std::string_view::npos) script.remove_prefix(slash + 1);
  if (!script.starts_with("R__") || !script.ends_with(".sql") || script.size() <= 7)
    return std::nullopt;
  return std::string(script.substr(3, script.size() - 7));
}

// Flyway's checksum column: a signed 32-bit number as text.
std::optional<std::int32_t> flyway_int(std::string_view text) {
  const bool negative = text.starts_with("-");
  const auto magnitude = parse_uint<std::int64_t>(negative ? text.substr(1) : text);
  if (!magnitude || *magnitude > (std::int64_t{1} << 31)) return std::nullopt;
  const std::int64_t v = negative ? -*magnitude : *magnitude;
  if (v > INT32_MAX) return std::nullopt;
  return static_cast<std::int32_t>(v);
}

}  // namespace

std::optional<Tool> parse_tool(std::string_view name) {
  for (const auto& [text, tool] : kTools)
    if (name == text) return tool;
  return std::nullopt;
}

std::vector<ForeignEntry> read_foreign_history(Database& db, Tool tool, bool postgres) {
  const HistoryQuery q = query_for(tool, postgres);
  if (!db.has_table(q.table))
    throw DataError(fmt::format("no {} table in {}: nothing to adopt (is --from right?)", q.table,
                                db.describe()));
  std::vector<ForeignEntry> out;
  std::map<std::string, std::size_t> goose_latest;  // version_id -> index in out
  for (const auto& row : db.read_rows(q.sql)) {
    ForeignEntry e;
    switch (tool) {
      case Tool::kDbmate:
      case Tool::kDiesel:
      case Tool::kPopx:
        e.label = value(row[0]);
        e.version = Version::parse(e.label);
        break;
      case Tool::kGolangMigrate:
        e.label = value(row[0]);
        e.version = Version::parse(e.label);
        e.failed = truthy(row[1]);
        break;
      case Tool::kGoose: {
        e.label = value(row[0]);
        if (e.label == "0") continue;  // goose's own first row
        e.version = Version::parse(e.label);
        const bool applied = truthy(row[1]);
        if (const auto it = goose_latest.find(e.label); it != goose_latest.end()) {
          out[it->second].failed = false;
          out[it->second].label = applied ? e.label : "";  // rolled back: dropped below
          continue;
        }
        if (!applied) continue;
        goose_latest.emplace(e.label, out.size());
        break;
      }
      case Tool::kSqlx:
        e.label = fmt::format("{} ({})", value(row[0]), value(row[2]));
        e.version = Version::parse(value(row[0]));
        e.failed = !truthy(row[1]);
        break;
      case Tool::kPrisma:
        e.label = value(row[0]);
        if (truthy(row[2])) continue;  // rolled back: not applied
        e.failed = !truthy(row[1]);
        e.version = Version::parse(e.label.substr(0, e.label.find('_')));
        break;
      case Tool::kDrizzle:
        e.hash = value(row[0]);
        e.label = fmt::format("hash {}... (created_at {})", e.hash.substr(0, 12), value(row[1]));
        break;
      case Tool::kFlyway: {
        const std::string type = value(row[4]);
        if (type == "SCHEMA" || type == "BASELINE" || type == "DELETE" || type == "UNDO_SQL")
          continue;  // Flyway's own bookkeeping, not a migration it ran
        e.label = row[0] ? fmt::format("{} ({})", value(row[0]), value(row[2])) : value(row[2]);
        e.failed = !truthy(row[1]);
        if (row[0]) {
          e.version = Version::parse(value(row[0]));
        } else if (const auto name = repeatable_name(value(row[2]))) {
          e.version = Version::repeatable(*name);
          e.flyway_checksum = flyway_int(value(row[3]));
        }
        break;
      }
    }
    out.push_back(std::move(e));
  }
  if (tool == Tool::kGoose)
    std::erase_if(out, [](const ForeignEntry& e) { return e.label.empty(); });
  if (tool == Tool::kFlyway) {
    // A repeatable runs again and again: only its newest run says what the database holds.
    std::map<std::string, ForeignEntry> newest;
    std::vector<ForeignEntry> versioned;
    for (auto& e : out) {
      if (e.version && e.version->is_repeatable())
        newest[e.version->text()] = std::move(e);
      else
        versioned.push_back(std::move(e));
    }
    out = std::move(versioned);
    for (auto& [name, e] : newest) out.push_back(std::move(e));
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
          shown(e.label)));
      continue;
    }
    const Migration* m = nullptr;
    if (tool == Tool::kDrizzle) {
      const auto it = std::find_if(files.begin(), files.end(),
                                   [&](const Migration& f) { return f.sha256 == e.hash; });
      if (it != files.end()) m = &*it;
    } else if (!e.version) {
      problems.push_back(fmt::format("{}: not a version Ballast can read", shown(e.label)));
      continue;
    } else {
      m = by_version(*e.version);
    }
    if (m == nullptr) {
      problems.push_back(fmt::format(
          "{} is applied but has no local migration file: add the file first", shown(e.label)));
      continue;
    }
    if (e.version && e.version->is_repeatable() && e.flyway_checksum &&
        *e.flyway_checksum != m->flyway_checksum)
      continue;  // changed since Flyway ran it: pending, apply runs it again
    if (tool == Tool::kGolangMigrate) {
      for (const auto& f : files)
        if (!f.version.is_repeatable() && f.version <= m->version) out.push_back(&f);
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
