#include "common/database_url.hpp"

#include <fmt/format.h>

#include <array>
#include <utility>

#include "common/error.hpp"
#include "common/secret.hpp"
#include "common/text.hpp"

namespace ballast {
namespace {

// Schemes of engines Ballast does not migrate, with the name a person knows them by.
constexpr std::array<std::pair<std::string_view, std::string_view>, 21> kUnsupported{{
    {"mysql", "MySQL"},           {"mysql2", "MySQL"},
    {"mysqlx", "MySQL"},          {"mariadb", "MariaDB"},
    {"sqlserver", "SQL Server"},  {"mssql", "SQL Server"},
    {"oracle", "Oracle"},         {"mongodb", "MongoDB"},
    {"mongodb+srv", "MongoDB"},   {"redis", "Redis"},
    {"rediss", "Redis"},          {"clickhouse", "ClickHouse"},
    {"cassandra", "Cassandra"},   {"cockroachdb", "CockroachDB"},
    {"cockroach", "CockroachDB"}, {"crdb-postgres", "CockroachDB"},
    {"spanner", "Cloud Spanner"}, {"snowflake", "Snowflake"},
    {"redshift", "Redshift"},     {"firebird", "Firebird"},
    {"libsql", "libSQL"},
}};

constexpr std::string_view kUse =
    "use postgres://USER@HOST/DB, a libpq 'host=HOST dbname=DB' string, or sqlite:PATH";

// "sqlite3" from "sqlite3://x", "postgresql" from "postgresql+psycopg2://x"; "" for none.
std::string scheme_of(std::string_view url) {
  const auto colon = url.find(':');
  if (colon == std::string_view::npos) return "";
  std::string scheme = ascii_lower(url.substr(0, colon));
  for (const char c : scheme)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))
      return "";
  return scheme;
}

std::string base_scheme(const std::string& scheme) {
  const auto plus = scheme.find('+');
  // "mongodb+srv" is a scheme of its own; "postgresql+asyncpg" is PostgreSQL through a driver.
  if (plus == std::string::npos || scheme == "mongodb+srv") return scheme;
  return scheme.substr(0, plus);
}

DatabaseTarget sqlite_target(std::string_view url, std::string_view source) {
  std::string_view rest = url.substr(url.find(':') + 1);
  if (rest.starts_with("//")) rest.remove_prefix(2);     // sqlite://rel, sqlite:///abs
  while (rest.starts_with("//")) rest.remove_prefix(1);  // sqlite:////abs (SQLAlchemy)
  if (const auto q = rest.find('?'); q != std::string_view::npos) rest = rest.substr(0, q);
  if (rest.empty())
    throw UsageError(fmt::format("invalid {} '{}': no file: use sqlite:PATH, e.g. sqlite:./app.db",
                                 source, shown(url)));
  DatabaseTarget t;
  t.backend = Backend::kSqlite;
  t.location = std::string(rest);
  t.display = "sqlite:" + t.location;
  return t;
}

DatabaseTarget postgres_target(std::string_view text, std::string_view source) {
  DatabaseTarget t;
  t.backend = Backend::kPostgres;
  try {
    t.conn = parse_conninfo(text);
  } catch (const UsageError& e) {
    throw UsageError(
        fmt::format("invalid {} '{}': {}", source, shown(secret::redact_url(text)), e.what()));
  }
  t.location = t.conn.to_keyword_value();
  t.display = t.conn.display();
  return t;
}

bool postgres_scheme(const std::string& base) {
  return base == "postgres" || base == "postgresql" || base == "pgx" || base == "pgx5" ||
         base == "postgis" || base == "pgsql";
}

// The URL without a "jdbc:" prefix.
std::string_view without_jdbc(std::string_view url) {
  return ascii_lower(url.substr(0, 5)) == "jdbc:" ? url.substr(5) : url;
}

}  // namespace

bool is_postgres_url(std::string_view url) {
  const std::string_view text = without_jdbc(trim(url));
  const std::string scheme = scheme_of(text);
  return postgres_scheme(base_scheme(scheme)) || (scheme.empty() && looks_like_keyword_value(text));
}

DatabaseTarget parse_database_url(std::string_view url, std::string_view source) {
  // A trailing newline or CR from an env file or a secret written by `echo` is not part of it.
  url = trim(url);
  if (url.find('\0') != std::string_view::npos)
    throw UsageError(fmt::format("invalid {}: it contains a NUL byte: a URL is text", source));
  const std::string_view text = without_jdbc(url);
  const std::string scheme = scheme_of(text);
  const std::string base = base_scheme(scheme);
  if (postgres_scheme(base)) {
    const auto sep = text.find("://");
    if (sep == std::string_view::npos)
      throw UsageError(fmt::format("invalid {} '{}': use {}://USER@HOST/DB", source,
                                   shown(secret::redact_url(url)), shown(scheme)));
    return postgres_target(fmt::format("postgresql{}", text.substr(sep)), source);
  }
  if (base == "sqlite" || base == "sqlite3" || base == "file") return sqlite_target(text, source);
  for (const auto& [name, engine] : kUnsupported)
    if (base == name)
      throw UsageError(fmt::format(
          "invalid {} '{}': {} is not supported: Ballast migrates PostgreSQL and SQLite", source,
          shown(secret::redact_url(url)), engine));
  if (scheme.empty() && looks_like_keyword_value(text)) return postgres_target(text, source);
  if (url.empty()) throw UsageError(fmt::format("{} is empty: {}", source, kUse));
  throw UsageError(fmt::format("invalid {} '{}': {}", source, shown(secret::redact_url(url)),
                               scheme.empty()
                                   ? std::string(kUse)
                                   : fmt::format("unknown scheme '{}:': {}", shown(scheme), kUse)));
}

}  // namespace ballast
