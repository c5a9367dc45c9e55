#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "migrate/problem.hpp"
#include "migrate/version.hpp"

namespace ballast::migrate {

// The naming conventions a migration file may follow.
enum class FileStyle {
  kBallast,        // 0001_create_users.sql (also dbmate's 20261122093000_x.sql)
  kGolangMigrate,  // 0001_create_users.up.sql (its .down.sql files are ignored)
  kFlyway,         // V1__create_users.sql
};

// What a file name says, before the file is read.
struct FileName {
  Version version;
  std::string name;  // "create_users"
  FileStyle style = FileStyle::kBallast;
};

// Parses a migration file name. Returns nullopt for names that are not migrations at all
// (the caller decides whether that is an error); `ignored` is set for golang-migrate's
// .down.sql files, which are recognised and skipped. Versions of more than 18 digits give
// nullopt.
std::optional<FileName> parse_file_name(std::string_view file_name, bool& ignored);

// A migration ready to apply: its name, its SQL and the hash of its raw bytes.
struct Migration {
  Version version;
  std::string name;
  std::string file_name;        // "0001_create_users.sql", relative to the migrations folder
  std::string sql;              // what runs: the whole file, or dbmate's "-- migrate:up" section
  std::string sha256;           // lowercase hex of the raw file bytes
  bool no_transaction = false;  // "-- migrate:no-transaction" (or dbmate's transaction:false)
  std::optional<std::string> generated;  // why it looks machine-generated, if it does
};

// True when the leading comment lines of `text` say "-- migrate:no-transaction" or dbmate's
// "-- migrate:up transaction:false": run statement by statement, outside a transaction.
bool wants_no_transaction(std::string_view text);

// Returns the SQL to run from a file's text: the `-- migrate:up` section for dbmate files
// (the `-- migrate:down` section is dropped), else the whole text. Throws DataError naming
// `file_name` when a file has several up sections.
std::string up_section(std::string_view text, std::string_view file_name);

// Reads every migration in `dir`, sorted by version. Throws DataError listing every problem
// found (unknown files, duplicate versions naming both files, several up sections), and
// std::system_error when the folder cannot be read. README* files, dot files and reviewed.sum
// are allowed beside the migrations, and so are generators' own files (meta/,
// migration_lock.toml, atlas.sum), which mark every migration as generated instead.
std::vector<Migration> scan_migrations(const std::string& dir);

// What scan_migrations reads, with its problems as values (for verify --json): the files that
// could be read, and one Problem per file that could not.
struct FolderScan {
  std::vector<Migration> files;
  std::vector<Problem> problems;
};
FolderScan scan_folder(const std::string& dir);

}  // namespace ballast::migrate
