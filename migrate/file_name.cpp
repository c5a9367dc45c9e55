#include "migrate/file_name.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <utility>

namespace ballast::migrate {
namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The digits and the name of "VERSION_name" (a whole-number version, a non-empty name), as views
// of `stem`; nullopt for anything else.
std::optional<std::pair<std::string_view, std::string_view>> plain_parts(std::string_view stem) {
  const auto sep = stem.find('_');
  if (sep == std::string_view::npos || sep + 1 >= stem.size()) return std::nullopt;
  const auto digits = stem.substr(0, sep);
  if (!all_digits(digits)) return std::nullopt;
  return std::pair{digits, stem.substr(sep + 1)};
}

// "VERSION_name" parsed: plain_parts, with the version and name built.
bool split_plain(std::string_view stem, Version& version, std::string& name) {
  const auto parts = plain_parts(stem);
  if (!parts) return false;
  version = *Version::parse(parts->first);
  name = std::string(parts->second);
  return true;
}

FileName migration(Version v, std::string name, FileStyle style) {
  FileName f;
  f.kind = NameKind::kMigration;
  f.version = std::move(v);
  f.name = std::move(name);
  f.style = style;
  return f;
}

// Flyway: V<version>__<description>, U (undo) and B (baseline) alike, R__<description>.
FileName parse_flyway(std::string_view stem) {
  const auto sep = stem.find("__");
  if (sep == std::string_view::npos || sep == 0) return {};
  const char prefix = stem.front();
  const std::string description(stem.substr(sep + 2));
  if (prefix == 'R') {
    if (sep != 1 || description.empty()) return {};
    return migration(Version::repeatable(description), description, FileStyle::kRepeatable);
  }
  const auto version = Version::parse(stem.substr(1, sep - 1));
  if (!version) return {};
  FileName f = migration(*version, description, FileStyle::kFlyway);
  if (prefix == 'U') {
    f.kind = NameKind::kIgnored;
    f.why = "a Flyway undo migration (apply runs forward migrations only)";
  } else if (prefix == 'B') {
    f.kind = NameKind::kIgnored;
    f.why = "a Flyway baseline migration (for new databases only; adopt records an existing one)";
  }
  return f;
}

// Flyway's SQL callbacks (afterMigrate.sql, beforeEachMigrate__grants.sql): scripts Flyway
// runs around its own commands, not migrations.
bool is_flyway_callback(std::string_view stem) {
  // Every event name starts with "before" or "after": most names (digits first) end here.
  if (!stem.starts_with("before") && !stem.starts_with("after")) return false;
  static constexpr std::array<std::string_view, 12> kEvents{
      "beforeMigrate",     "afterMigrate",   "beforeEachMigrate", "afterEachMigrate",
      "afterMigrateError", "beforeValidate", "afterValidate",     "beforeClean",
      "afterClean",        "beforeRepair",   "afterRepair",       "afterMigrateApplied"};
  const std::string_view event = stem.substr(0, stem.find("__"));
  return std::find(kEvents.begin(), kEvents.end(), event) != kEvents.end() ||
         event.starts_with("beforeEachMigrateStatement") ||
         event.starts_with("afterEachMigrateStatement") || event.starts_with("beforeInfo") ||
         event.starts_with("afterInfo") || event.starts_with("beforeBaseline") ||
         event.starts_with("afterBaseline");
}

}  // namespace

std::optional<std::string> canonical_dialect(std::string_view word) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 14> kNames{{
      {"postgres", "postgres"},
      {"postgresql", "postgres"},
      {"pg", "postgres"},
      {"sqlite", "sqlite"},
      {"sqlite3", "sqlite"},
      {"mysql", "mysql"},
      {"mariadb", "mysql"},
      {"cockroach", "cockroach"},
      {"cockroachdb", "cockroach"},
      {"crdb", "cockroach"},
      {"clickhouse", "clickhouse"},
      {"mssql", "sqlserver"},
      {"sqlserver", "sqlserver"},
      {"oracle", "oracle"},
  }};
  for (const auto& [alias, canonical] : kNames)
    if (word == alias) return std::string(canonical);
  return std::nullopt;
}

FileName parse_file_name(std::string_view file_name, std::string_view engine) {
  std::string_view stem;
  bool code = false;
  std::string_view code_kind;
  if (file_name.ends_with(".sql")) {
    stem = file_name.substr(0, file_name.size() - 4);
  } else if (file_name.ends_with(".go") && !file_name.ends_with("_test.go")) {
    stem = file_name.substr(0, file_name.size() - 3);
    code = true;
    code_kind = "a Go migration (goose)";
  } else if (file_name.ends_with(".fizz")) {
    stem = file_name.substr(0, file_name.size() - 5);
    code = true;
    code_kind = "a fizz migration (pop)";
  } else {
    return {};
  }
  if (stem.empty()) return {};

  FileName f;
  if (!code && is_flyway_callback(stem)) {
    f.kind = NameKind::kIgnored;
    f.why = "a Flyway callback (migrate runs migrations only)";
    return f;
  }
  if (!code &&
      (stem.front() == 'V' || stem.front() == 'U' || stem.front() == 'B' || stem.front() == 'R')) {
    f = parse_flyway(stem);
    if (f.kind != NameKind::kNone) return f;
  }

  bool down = false;
  bool up_down = false;
  if (stem.ends_with(".up") || stem.ends_with(".down")) {
    down = stem.ends_with(".down");
    stem.remove_suffix(down ? 5 : 3);
    up_down = true;
  }
  bool autocommit = false;
  if (up_down && stem.ends_with(".autocommit")) {
    autocommit = true;
    stem.remove_suffix(11);
  }
  std::string dialect;
  if (const auto dot = stem.rfind('.'); dot != std::string_view::npos) {
    const auto canonical = canonical_dialect(stem.substr(dot + 1));
    if (!canonical) return {};  // a dot in a name is no convention Ballast knows
    dialect = *canonical;
    stem = stem.substr(0, dot);
  }
  if (down || (!engine.empty() && !dialect.empty() && dialect != engine)) {
    // Named like a migration, but never applied: nothing is built for it (a folder may hold
    // as many down files as up files).
    if (!plain_parts(stem)) return {};
    f.kind = NameKind::kIgnored;
    f.why = down ? "a down migration (apply runs up migrations only)"
                 : "a migration for another engine";
    f.style = up_down ? FileStyle::kUpDown : FileStyle::kPlain;
    f.dialect = std::move(dialect);
    return f;
  }
  Version version;
  std::string name;
  if (!split_plain(stem, version, name)) return {};
  f = migration(std::move(version), std::move(name),
                up_down ? FileStyle::kUpDown : FileStyle::kPlain);
  f.dialect = std::move(dialect);
  f.autocommit = autocommit;
  if (code) {
    f.kind = NameKind::kCode;
    f.why = code_kind;
  }
  return f;
}

FileName parse_folder_name(std::string_view folder_name, FileStyle style) {
  const auto sep = folder_name.find('_');
  if (sep == std::string_view::npos || sep == 0) return {};
  std::string digits(folder_name.substr(0, sep));
  if (style == FileStyle::kDiesel) std::erase(digits, '-');
  if (!all_digits(digits)) return {};
  return migration(*Version::parse(digits), std::string(folder_name.substr(sep + 1)), style);
}

}  // namespace ballast::migrate
