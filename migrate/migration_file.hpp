#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "migrate/file_name.hpp"
#include "migrate/lint_waiver.hpp"
#include "migrate/problem.hpp"
#include "migrate/version.hpp"

namespace ballast::migrate {

// A migration ready to apply: its name, its SQL and the hash of its raw bytes.
struct Migration {
  Version version;
  std::string name;
  // Relative to the migrations folder: "0001_create_users.sql", or a prisma or diesel
  // folder's file, "20210101120000_init/migration.sql".
  std::string file_name;
  std::string sql;                       // what runs: the whole file, or its up section
  std::string sha256;                    // lowercase hex of the raw file bytes
  bool no_transaction = false;           // runs statement by statement, outside a transaction
  std::optional<std::string> generated;  // why it looks machine-generated, if it does
  // Repeatable (R__) files: Flyway's checksum of the raw bytes, for adopting its history.
  std::optional<std::int32_t> flyway_checksum;
  // "-- migrate:allow RULE because REASON" comments anywhere in the file (lint.hpp).
  std::vector<LintWaiver> waivers;
  // What the name said that the analysis needs (the side file to read, popx's .autocommit.).
  FileStyle style = FileStyle::kPlain;
  bool autocommit = false;
  // False while the file is read and hashed only (ScanOptions::defer_analysis): `sql` then
  // holds the raw bytes, and no_transaction, generated and waivers are not set yet.
  bool analysed = true;
};

// Flyway's checksum of a SQL file: CRC-32 over its lines without their line endings (a
// leading byte-order mark dropped), as a signed 32-bit number.
std::int32_t flyway_checksum(std::string_view text);

// The migration tools whose folders Ballast reads as they are.
enum class Format {
  kAuto,  // every convention at once, chosen per file (the default)
  kBallast,
  kDbmate,
  kGolangMigrate,
  kGoose,
  kSqlx,
  kDiesel,
  kPrisma,
  kDrizzle,
  kFlyway,
  kPopx,
};

// "auto", "ballast", "dbmate", "golang-migrate", "goose", "sqlx", "diesel", "prisma",
// "drizzle", "flyway", "popx"; nullopt otherwise.
std::optional<Format> parse_format(std::string_view name);
std::string_view to_string(Format format);
inline constexpr const char* kFormatNames =
    "auto, ballast, dbmate, golang-migrate, goose, sqlx, diesel, prisma, drizzle, flyway or popx";

// How to read a folder: which tool's conventions, and which engine the dialect-tagged files
// (popx's VERSION_x.postgres.up.sql) are chosen for: "postgres" or "sqlite".
struct ScanOptions {
  Format format = Format::kAuto;
  std::string engine = "sqlite";
  // Read and hash each file, and leave its analysis (sections, transaction control, generator
  // marks, waivers) to analyse_migration: apply analyses only the files its history does not
  // hold with the same bytes (a no-op apply of a large folder is mostly this analysis).
  bool defer_analysis = false;
};

// The engine a folder's own files say it is written for, and which file says so: prisma's
// migration_lock.toml (provider = "postgresql"), drizzle's meta/_journal.json ("dialect"), or
// popx-style names for one engine only. nullopt when they do not say, or say both.
struct DialectHint {
  std::string dialect;  // "postgres" or "sqlite"
  std::string source;   // "migration_lock.toml"
};
std::optional<DialectHint> dialect_hint(const std::string& dir);

// True when the file asks to run outside a transaction: "-- migrate:no-transaction" or
// dbmate's "-- migrate:up transaction:false" in the leading comment lines, goose's
// "-- +goose NO TRANSACTION" anywhere, sqlx's "-- no-transaction" as the first line.
bool wants_no_transaction(std::string_view text);

// Returns the SQL to run from a file's text: the up section of dbmate ("-- migrate:up") and
// goose ("-- +goose Up") files, the down section dropped, else the whole text. Line numbers
// stay those of the file. Throws DataError naming `file_name` when a file has several up
// sections, or a down section and no up section.
std::string up_section(std::string_view text, std::string_view file_name);

// What one reading of a file's directive lines finds: the up section (as up_section) and the
// goose annotations that change how it runs. Scanning reads each file's lines once for all three.
struct Directives {
  std::string up;
  bool goose_no_transaction = false;  // "-- +goose NO TRANSACTION" on any line
  bool goose_envsub = false;          // "-- +goose ENVSUB ON" on any line
};
Directives read_directives(std::string_view text, std::string_view file_name);

// wants_no_transaction without goose's annotation: the leading comment lines only.
bool header_wants_no_transaction(std::string_view text);

// What a folder holds: the migrations to apply, sorted by version, and one Problem per file
// that cannot be applied (blocking) or is skipped in a way worth saying (not blocking). Down
// and undo files are skipped silently; so are files that are not SQL (README, .keep, notes),
// README* and reviewed.sum. Throws DataError when the folder does not exist.
struct FolderScan {
  std::vector<Migration> files;
  std::vector<Problem> problems;
};
FolderScan scan_folder(const std::string& dir, const ScanOptions& options = {});

// Analyses a file read with ScanOptions::defer_analysis (in `dir`, under the same options), as
// scan_folder would have: `m` becomes the migration to run, or the problem that stops it is
// returned (then `m` is left unanalysed). `folder_mark` is generator_folder_mark(dir).
std::optional<Problem> analyse_migration(Migration& m, const std::string& dir,
                                         const ScanOptions& options,
                                         const std::optional<std::string>& folder_mark);

// Every blocking problem of `dir` thrown as one DataError listing them all (the others logged
// as warnings); nothing when none blocks.
void throw_blocking(const std::string& dir, std::vector<Problem> problems);

// scan_folder, with every blocking problem thrown as one DataError listing them all (the
// others logged as warnings).
std::vector<Migration> scan_migrations(const std::string& dir, const ScanOptions& options = {});

}  // namespace ballast::migrate
