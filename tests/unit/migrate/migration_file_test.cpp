#include "migrate/migration_file.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

#include "common/error.hpp"

using namespace ballast::migrate;

TEST_CASE("up_section: plain files run whole", "[migrate][files]") {
  CHECK(up_section("CREATE TABLE t (x int);\n", "f.sql") == "CREATE TABLE t (x int);\n");
}

TEST_CASE("up_section: dbmate files run only the up section, line numbers kept",
          "[migrate][files]") {
  const std::string text =
      "-- migrate:up\nCREATE TABLE t (x int);\n\n-- migrate:down\nDROP TABLE t;\n";
  const auto up = up_section(text, "f.sql");
  CHECK(up.find("DROP") == std::string::npos);
  // Every other line stays as an empty line, so line 2 of the file is line 2 of the SQL.
  CHECK(up == "\nCREATE TABLE t (x int);\n\n\n\n");
}

TEST_CASE("up_section: a down section first does not shift the up section's line numbers",
          "[migrate][files]") {
  const std::string text =
      "-- migrate:down\nDROP TABLE t;\n-- migrate:up\nCREATE TABLE t (x int);\n";
  const auto up = up_section(text, "f.sql");
  CHECK(up == "\n\n\nCREATE TABLE t (x int);\n");
  // CREATE is on line 4 of the file and of the SQL that runs.
  CHECK(std::count(up.begin(), up.begin() + static_cast<std::ptrdiff_t>(up.find("CREATE")), '\n') ==
        3);
}

TEST_CASE("up_section: several up sections are an error, not a silent truncation",
          "[migrate][files]") {
  const std::string text = "-- migrate:up\nA;\n-- migrate:down\nB;\n-- migrate:up\nC;\n";
  CHECK_THROWS_AS(up_section(text, "f.sql"), ballast::DataError);
  CHECK_THROWS_AS(up_section("-- migrate:down\nB;\n", "f.sql"), ballast::DataError);
}

TEST_CASE("wants_no_transaction: only in the leading comment lines", "[migrate][files]") {
  CHECK(wants_no_transaction("-- migrate:no-transaction\nCREATE INDEX CONCURRENTLY i ON t (x);"));
  CHECK(wants_no_transaction("-- why: big table\n\n-- migrate:no-transaction\nCREATE INDEX ..."));
  CHECK(wants_no_transaction(
      "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (x);"));
  CHECK_FALSE(wants_no_transaction("CREATE TABLE t (x int);\n-- migrate:no-transaction\n"));
  CHECK_FALSE(wants_no_transaction("-- migrate:up\nCREATE TABLE t (x int);"));
}

TEST_CASE("read_directives: one reading gives the up section and goose's annotations",
          "[migrate][files]") {
  const auto d = read_directives(
      "-- +goose Up\n-- +goose NO TRANSACTION\nCREATE INDEX CONCURRENTLY i ON t (x);\n"
      "-- +goose Down\nDROP INDEX i;\n",
      "f.sql");
  CHECK(d.up == "\n-- +goose NO TRANSACTION\nCREATE INDEX CONCURRENTLY i ON t (x);\n\n\n");
  CHECK(d.goose_no_transaction);
  CHECK_FALSE(d.goose_envsub);
  CHECK(read_directives("-- +goose up\n  --  +goose   envsub   on\nSELECT 1;\n", "f.sql")
            .goose_envsub);
  // An annotation inside the down section still counts, as goose reads it.
  CHECK(read_directives("-- +goose Up\nSELECT 1;\n-- +goose Down\n-- +goose NO TRANSACTION\n",
                        "f.sql")
            .goose_no_transaction);
  const auto plain = read_directives("CREATE TABLE t (x int);\n", "f.sql");
  CHECK(plain.up == "CREATE TABLE t (x int);\n");
  CHECK_FALSE(plain.goose_no_transaction);
  CHECK_THROWS_AS(read_directives("-- +goose Up\nA;\n-- +goose Up\nB;\n", "f.sql"),
                  ballast::DataError);
}
