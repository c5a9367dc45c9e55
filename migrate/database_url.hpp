#pragma once

#include <string>
#include <string_view>

namespace ballast::migrate {

enum class Backend { kSqlite, kPostgres };

// Where the migrations go.
struct DatabaseTarget {
  Backend backend = Backend::kSqlite;
  std::string location;  // SQLite: a file path; PostgreSQL: the URL as given, for libpq
};

// Parses postgres://…, postgresql://… (handed to libpq unchanged, so every libpq URI
// parameter works), sqlite:path, sqlite:///abs/path, sqlite://rel/path and file:path.
// Throws UsageError naming `source` for anything else.
DatabaseTarget parse_database_url(std::string_view url, std::string_view source);

}  // namespace ballast::migrate
