#include "migrate/sql_position.hpp"

#include <catch2/catch.hpp>

using namespace ballast::migrate;

TEST_CASE("line_of_byte: counts newlines before the offset", "[migrate][position]") {
  const std::string sql = "a\nbb\nccc";
  CHECK(line_of_byte(sql, 0) == 1);
  CHECK(line_of_byte(sql, 2) == 2);
  CHECK(line_of_byte(sql, 5) == 3);
  CHECK(line_of_byte(sql, 999) == 3);
}

TEST_CASE("byte_of_char: PostgreSQL's character positions over UTF-8", "[migrate][position]") {
  const std::string sql = "é\nx";  // é is two bytes
  CHECK(byte_of_char(sql, 1) == 0);
  CHECK(byte_of_char(sql, 2) == 2);
  CHECK(byte_of_char(sql, 3) == 3);
  CHECK(byte_of_char(sql, 9) == sql.size());
}

TEST_CASE("skip_space_and_comments: finds where the next statement really starts",
          "[migrate][position]") {
  const std::string sql = "A;\n  -- note\n/* block\n */ B;";
  CHECK(skip_space_and_comments(sql, 2) == sql.find('B'));
  CHECK(skip_space_and_comments(sql, 0) == 0);
  CHECK(skip_space_and_comments("-- only a comment", 0) == 17);
}

TEST_CASE("skip_space_and_comments: PostgreSQL's block comments nest", "[migrate][position]") {
  const std::string sql = "/* outer /* inner */ still outer */ SELECT 1";
  CHECK(skip_space_and_comments(sql, 0) == sql.find("SELECT"));
}

TEST_CASE("skip_space_and_comments: SQLite's block comments end at the first */",
          "[migrate][position]") {
  const std::string sql = "/* a /* b */ c */ SELECT 1";
  CHECK(skip_space_and_comments(sql, 0, SqlDialect::kSqlite) == sql.find('c'));
}

TEST_CASE("skip_space_and_comments: a PostgreSQL line comment ends at a bare CR",
          "[migrate][position]") {
  const std::string sql = "-- old Mac line end\rSELECT 1";
  CHECK(skip_space_and_comments(sql, 0) == sql.find("SELECT"));
  // SQLite reads to the LF only: the whole text is one comment.
  CHECK(skip_space_and_comments(sql, 0, SqlDialect::kSqlite) == sql.size());
}

TEST_CASE("skip_space_and_comments: an unterminated comment runs to the end",
          "[migrate][position]") {
  CHECK(skip_space_and_comments("/* /* */", 0) == 8);
  CHECK(skip_space_and_comments("/*", 0) == 2);
}
