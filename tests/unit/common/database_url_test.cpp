#include "common/database_url.hpp"

#include <catch2/catch.hpp>

#include "common/conninfo.hpp"
#include "common/error.hpp"

using ballast::Backend;
using ballast::ConnInfo;
using ballast::parse_conninfo;
using ballast::parse_database_url;

namespace {

std::string get(const ConnInfo& c, std::string_view key) { return c.get(key).value_or("(unset)"); }

std::string error_of(std::string_view url) {
  try {
    parse_database_url(url, "DATABASE_URL");
  } catch (const ballast::UsageError& e) {
    return e.what();
  }
  FAIL("no error for " << url);
  return "";
}

}  // namespace

// The examples of libpq's documentation, "Connection URIs" and "Keyword/Value Connection
// Strings", read as libpq reads them.
TEST_CASE("parse_conninfo: libpq's documented URI examples", "[common][conninfo]") {
  CHECK(parse_conninfo("postgresql://").params().empty());
  CHECK(get(parse_conninfo("postgresql://localhost"), "host") == "localhost");
  const auto port = parse_conninfo("postgresql://localhost:5433");
  CHECK(get(port, "host") == "localhost");
  CHECK(get(port, "port") == "5433");
  CHECK(get(parse_conninfo("postgresql://localhost/mydb"), "dbname") == "mydb");
  CHECK(get(parse_conninfo("postgresql://user@localhost"), "user") == "user");
  const auto secret = parse_conninfo("postgresql://user:secret@localhost");
  CHECK(get(secret, "password") == "secret");
  const auto other = parse_conninfo(
      "postgresql://other@localhost/otherdb?connect_timeout=10&application_name=myapp");
  CHECK(get(other, "user") == "other");
  CHECK(get(other, "dbname") == "otherdb");
  CHECK(get(other, "connect_timeout") == "10");
  CHECK(get(other, "application_name") == "myapp");
  const auto multi = parse_conninfo(
      "postgresql://host1:123,host2:456/somedb?target_session_attrs=any&application_name=myapp");
  CHECK(get(multi, "host") == "host1,host2");
  CHECK(get(multi, "port") == "123,456");
  REQUIRE(multi.endpoints().size() == 2);
  CHECK(multi.endpoints()[1].host == "host2");
  CHECK(multi.endpoints()[1].port == "456");
  const auto query_host = parse_conninfo("postgresql:///mydb?host=localhost&port=5433");
  CHECK(get(query_host, "host") == "localhost");
  CHECK(get(query_host, "port") == "5433");
  CHECK(get(parse_conninfo("postgresql://[2001:db8::1234]/database"), "host") == "2001:db8::1234");
  CHECK(get(parse_conninfo("postgresql:///dbname?host=/var/lib/postgresql"), "host") ==
        "/var/lib/postgresql");
  const auto encoded = parse_conninfo("postgresql://%2Fvar%2Flib%2Fpostgresql/dbname");
  CHECK(get(encoded, "host") == "/var/lib/postgresql");
  CHECK(encoded.endpoints()[0].unix_socket());
}

TEST_CASE("parse_conninfo: libpq's keyword/value form with quoting", "[common][conninfo]") {
  const auto kv = parse_conninfo("host=localhost port=5432 dbname=mydb connect_timeout=10");
  CHECK(get(kv, "host") == "localhost");
  CHECK(get(kv, "dbname") == "mydb");
  const auto quoted = parse_conninfo(R"(host = db  password='a b\'c\\d' user=app)");
  CHECK(get(quoted, "password") == R"(a b'c\d)");
  CHECK(get(quoted, "user") == "app");
  CHECK(get(parse_conninfo("password=''"), "password").empty());
  CHECK(get(parse_conninfo(R"(password=a\ b)"), "password") == "a b");
  CHECK_THROWS_AS(parse_conninfo("host"), ballast::UsageError);
  CHECK_THROWS_AS(parse_conninfo("password='open"), ballast::UsageError);
}

TEST_CASE("parse_conninfo: percent-decoding and query passwords", "[common][conninfo]") {
  CHECK(get(parse_conninfo("postgres://app:pass%77ord@db/app"), "password") == "password");
  CHECK(get(parse_conninfo("postgres://app@db/app?password=postgres"), "password") == "postgres");
  CHECK(get(parse_conninfo("postgres://app:p@ss@db/app"), "password") == "p@ss");
  CHECK_THROWS_AS(parse_conninfo("postgres://app:%zz@db/app"), ballast::UsageError);
  CHECK_THROWS_AS(parse_conninfo("postgres://app:%00@db/app"), ballast::UsageError);
}

TEST_CASE("parse_conninfo: other tools' parameters are translated, typos refused",
          "[common][conninfo]") {
  const auto dbmate = parse_conninfo("postgres://u@db/app?search_path=dbmate,app");
  CHECK(get(dbmate, "options") == "-c search_path=dbmate,app");
  CHECK_FALSE(dbmate.notes.empty());
  CHECK(get(parse_conninfo("postgres://u@db/app?ssl=true"), "sslmode") == "require");
  const auto gm = parse_conninfo("postgres://u@db/app?x-migrations-table=m&sslmode=disable");
  CHECK_FALSE(gm.get("x-migrations-table"));
  CHECK(get(gm, "sslmode") == "disable");
  CHECK_THROWS_AS(parse_conninfo("postgres://u@db/app?ssl_mode=require"), ballast::UsageError);
}

TEST_CASE("parse_conninfo: Rails, prisma, asyncpg, node-postgres and JDBC parameters",
          "[common][conninfo]") {
  const auto rails = parse_conninfo("postgres://u@db/app?pool=5&reconnect=true&encoding=unicode");
  CHECK(get(rails, "client_encoding") == "unicode");
  CHECK_FALSE(rails.get("pool"));
  const auto prisma = parse_conninfo("postgresql://u@db/app?schema=tenant&connection_limit=5");
  CHECK(get(prisma, "options") == "-c search_path=tenant");
  CHECK(get(parse_conninfo("postgres://u@db/app?ssl=verify-full"), "sslmode") == "verify-full");
  CHECK(get(parse_conninfo("postgres://u@db/app?sslmode=no-verify"), "sslmode") == "require");
  CHECK(get(parse_conninfo("postgres://u@db/app?ApplicationName=api"), "application_name") ==
        "api");
  const auto guc = parse_conninfo("postgres://u@db/app?statement_timeout=5s&search_path=a%20b");
  CHECK(get(guc, "options") == R"(-c statement_timeout=5s -c search_path=a\ b)");
  CHECK(get(parse_conninfo("postgresql://u@localhost/mydb?options=-c%20synchronous_commit%3Doff"),
            "options") == "-c synchronous_commit=off");
  // dbmate's unix socket folder is libpq's host; JDBC and pgx driver settings are dropped.
  CHECK(get(parse_conninfo("postgres://u@/app?socket=/var/run/postgresql"), "host") ==
        "/var/run/postgresql");
  const auto jdbc = parse_conninfo(
      "postgresql://u@db/app?socketTimeout=30&loadBalanceHosts=true&autosave=always&"
      "pool_max_conn_lifetime_jitter=1s");
  CHECK(jdbc.notes.size() == 4);
}

TEST_CASE("ConnInfo: the keyword/value form round-trips and display hides the password",
          "[common][conninfo]") {
  const auto c = parse_conninfo("postgres://app:it's\\@db:6543/app?sslmode=require");
  const auto back = parse_conninfo(c.to_keyword_value());
  CHECK(back.params() == c.params());
  CHECK(c.display() == "postgres://app:****@db:6543/app?sslmode=require");
  CHECK(c.display().find("it's") == std::string::npos);
}

TEST_CASE("parse_database_url: PostgreSQL in every spelling real tools use", "[common][url]") {
  for (const auto* url :
       {"postgres://app@db/app", "postgresql://app@db/app", "POSTGRES://app@db/app",
        "postgresql+psycopg2://app@db/app", "pgx://app@db/app", "pgx5://app@db/app",
        "postgis://app@db/app", "jdbc:postgresql://db/app?user=app", "host=db user=app dbname=app",
        "postgres://app@db/app\n"}) {
    INFO(url);
    const auto t = parse_database_url(url, "DATABASE_URL");
    CHECK(t.backend == Backend::kPostgres);
    CHECK(get(t.conn, "host") == "db");
    CHECK(get(t.conn, "dbname") == "app");
    CHECK(get(t.conn, "user") == "app");
  }
}

TEST_CASE("parse_database_url: SQLite spellings", "[common][url]") {
  CHECK(parse_database_url("sqlite:data/app.db", "x").location == "data/app.db");
  CHECK(parse_database_url("sqlite:///var/lib/app.db", "x").location == "/var/lib/app.db");
  CHECK(parse_database_url("sqlite:////var/lib/app.db", "x").location == "/var/lib/app.db");
  CHECK(parse_database_url("sqlite://rel.db", "x").location == "rel.db");
  CHECK(parse_database_url("sqlite3://rel.db", "x").location == "rel.db");
  CHECK(parse_database_url("sqlite3:///abs.db", "x").location == "/abs.db");
  CHECK(parse_database_url("sqlite+aiosqlite:///abs.db", "x").location == "/abs.db");
  CHECK(parse_database_url("file:app.db?mode=rwc", "x").location == "app.db");
  CHECK_THROWS_AS(parse_database_url("sqlite:", "x"), ballast::UsageError);
}

TEST_CASE("parse_database_url: unsupported engines are named, passwords masked", "[common][url]") {
  const auto mysql = error_of("mysql://root:hunter2@db/x");
  CHECK(mysql.find("DATABASE_URL") != std::string::npos);
  CHECK(mysql.find("MySQL is not supported") != std::string::npos);
  CHECK(mysql.find("hunter2") == std::string::npos);
  CHECK(error_of("sqlserver://sa:x@db").find("SQL Server") != std::string::npos);
  CHECK(error_of("cockroachdb://root@db:26257/x").find("CockroachDB") != std::string::npos);
  CHECK(error_of("ftp://x/y").find("unknown scheme 'ftp:'") != std::string::npos);
  CHECK(error_of("postgres://u:hunter2@db/x?foo=1").find("hunter2") == std::string::npos);
}

TEST_CASE("is_postgres_url: the spellings parse_database_url reads as PostgreSQL",
          "[common][url]") {
  for (const auto* url : {"postgres://db/app", "postgresql+asyncpg://db/app", "pgx5://db/app",
                          "jdbc:postgresql://db/app", "host=db dbname=app", " postgres://db\n"})
    CHECK(ballast::is_postgres_url(url));
  for (const auto* url : {"db:5432", "tcp://db:5432", "sqlite:app.db", "mysql://db/app", ""})
    CHECK_FALSE(ballast::is_postgres_url(url));
}
