#include "migrate/sql_split.hpp"

#include <catch2/catch.hpp>

#include "common/error.hpp"

using namespace ballast::migrate;

TEST_CASE("split_postgres: PostgreSQL's own parser finds the statements", "[migrate][split]") {
  const std::string sql =
      "-- header\nCREATE TABLE t (x text);\nCREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ "
      "LANGUAGE sql;\n"
      "/* done; really */\nCREATE INDEX CONCURRENTLY i ON t (x);\n";
  const auto s = split_postgres(sql, "f.sql");
  REQUIRE(s.size() == 3);
  CHECK(s[0].text == "CREATE TABLE t (x text)");
  CHECK(s[1].text.find("$$ SELECT 1; $$") != std::string::npos);
  CHECK(s[2].text == "CREATE INDEX CONCURRENTLY i ON t (x)");
  CHECK(sql.substr(s[2].offset, 6) == "CREATE");
}

TEST_CASE("split_postgres and postgres_syntax_error: errors name the line", "[migrate][split]") {
  CHECK_THROWS_AS(split_postgres("SELECT 1;\nSELEC 2;", "f.sql"), ballast::DataError);
  const auto err = postgres_syntax_error("SELECT 1;\nSELEC 2;");
  REQUIRE(err);
  CHECK(err->line == 2);
  CHECK(err->message == "syntax error at or near \"SELEC\"");
  CHECK_FALSE(postgres_syntax_error("CREATE TABLE t (x int); INSERT INTO t VALUES (1);"));
}

TEST_CASE("split_postgres: a nested comment before a statement is skipped whole",
          "[migrate][split]") {
  const auto s = split_postgres("SELECT 1;\n/* a /* b */ c */\nSELECT 2;", "f.sql");
  REQUIRE(s.size() == 2);
  CHECK(s[1].text == "SELECT 2");
}

TEST_CASE("split_postgres: a comment ended by a bare CR is skipped", "[migrate][split]") {
  const auto s = split_postgres("SELECT 1;\r-- note\rSELECT 2;", "f.sql");
  REQUIRE(s.size() == 2);
  CHECK(s[1].text == "SELECT 2");
}

TEST_CASE("split_postgres: a NUL byte is refused with its line, never cuts the file short",
          "[migrate][split]") {
  const std::string sql("SELECT 1;\nSELECT 2;\0DROP TABLE t;", 30);
  CHECK_THROWS_WITH(split_postgres(sql, "f.sql"),
                    "f.sql: line 2: contains a NUL byte: a SQL file is text");
  const auto err = postgres_syntax_error(sql);
  REQUIRE(err);
  CHECK(err->line == 2);
}
