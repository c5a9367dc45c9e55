#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/conninfo.hpp"

namespace ballast {

enum class Backend { kSqlite, kPostgres };

// A database named by DATABASE_URL (or --database), whatever tool the URL was written for.
struct DatabaseTarget {
  Backend backend = Backend::kSqlite;
  std::string location;  // SQLite: a file path; PostgreSQL: a keyword/value string for libpq
  ConnInfo conn;         // PostgreSQL: the parsed parameters
  std::string display;   // for logs: never a password

  std::vector<std::string> notes() const { return conn.notes; }
};

// Reads the spellings real tools use:
//   PostgreSQL: postgres://, postgresql://, postgresql+DRIVER:// (SQLAlchemy), pgx://, pgx5://
//   (golang-migrate), postgis://, jdbc:postgresql://, and libpq's "host=... dbname=..." form;
//   SQLite: sqlite:PATH, sqlite3:PATH, sqlite://REL, sqlite:///ABS, sqlite:////ABS
//   (SQLAlchemy), sqlite+DRIVER:, file:PATH (query parameters dropped).
// Engines Ballast does not migrate (MySQL, SQL Server, CockroachDB, ...) are named plainly.
// Throws UsageError naming `source` and showing the URL with its password masked.
DatabaseTarget parse_database_url(std::string_view url, std::string_view source);

// True when `url` is written as a PostgreSQL URL or libpq keyword/value string in one of the
// spellings above (it may still be malformed: parse_database_url says how).
bool is_postgres_url(std::string_view url);

}  // namespace ballast
