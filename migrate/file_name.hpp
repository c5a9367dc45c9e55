#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "migrate/version.hpp"

// What a migration file's or folder's name says, before the file is read, in every convention
// Ballast reads as it is: its own and dbmate's (0001_x.sql), golang-migrate's and sqlx's
// (1_x.up.sql / .down.sql), popx's (VERSION_x.postgres.up.sql, .autocommit.), goose's and
// drizzle's (00001_x.sql), Flyway's (V1_10__x.sql, R__x.sql, U1__x.sql), and the folders of
// prisma (<ts>_x/migration.sql) and diesel (2023-01-01-120000_x/up.sql).
namespace ballast::migrate {

enum class FileStyle {
  kPlain,       // VERSION_name.sql: Ballast, dbmate, goose, sqlx, drizzle
  kUpDown,      // VERSION_name[.dialect][.autocommit].up.sql: golang-migrate, sqlx, popx
  kFlyway,      // V1.2__name.sql
  kRepeatable,  // R__name.sql (Flyway): no version, runs again whenever it changes
  kPrisma,      // <ts>_name/migration.sql
  kDiesel,      // <version>_name/up.sql
};

enum class NameKind {
  kMigration,  // applied by `apply`
  kIgnored,    // recognised and skipped: down and undo migrations (`why` says which)
  kCode,       // a migration in code (goose's .go, pop's .fizz): cannot be applied (`why`)
  kNone,       // not a migration name at all
};

struct FileName {
  NameKind kind = NameKind::kNone;
  Version version;
  std::string name;  // "create_users"
  FileStyle style = FileStyle::kPlain;
  // The engine a popx-style name is for ("postgres", "sqlite", "mysql", ...; canonical), or ""
  // when the file is for every engine.
  std::string dialect;
  bool autocommit = false;  // popx's ".autocommit.": runs outside a transaction
  std::string_view why;     // for kIgnored and kCode (a constant text)
};

// Parses a file name found in a migrations folder. With `engine` ("postgres", "sqlite"), a
// name written for another engine (popx's VERSION_x.mysql.up.sql) is kIgnored without its
// version and name built: a folder may hold one such file per engine for every version.
FileName parse_file_name(std::string_view file_name, std::string_view engine = {});

// Parses the name of a folder holding one migration: prisma's "20210101120000_init" or
// diesel's "2023-01-01-120000_create_users" (the dashes are dropped from the version, as
// diesel does). kNone when the name does not start with a version.
FileName parse_folder_name(std::string_view folder_name, FileStyle style);

// The canonical engine name of a dialect suffix ("postgresql", "pg" -> "postgres"; "sqlite3"
// -> "sqlite"; "cockroachdb", "crdb" -> "cockroach"), or nullopt for a word that names no
// engine (then it is part of the migration's name).
std::optional<std::string> canonical_dialect(std::string_view word);

}  // namespace ballast::migrate
