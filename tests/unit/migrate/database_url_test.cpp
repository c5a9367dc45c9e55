#include "migrate/database_url.hpp"

#include <catch2/catch.hpp>

#include "common/error.hpp"

using namespace ballast::migrate;

TEST_CASE("parse_database_url: PostgreSQL URLs go to libpq unchanged", "[migrate][url]") {
  const auto t =
      parse_database_url("postgres://app:pw@db:5432/app?sslmode=require", "DATABASE_URL");
  CHECK(t.backend == Backend::kPostgres);
  CHECK(t.location == "postgres://app:pw@db:5432/app?sslmode=require");
  CHECK(parse_database_url("postgresql:///app", "x").backend == Backend::kPostgres);
}

TEST_CASE("parse_database_url: SQLite spellings", "[migrate][url]") {
  CHECK(parse_database_url("sqlite:data/app.db", "x").location == "data/app.db");
  CHECK(parse_database_url("sqlite:///var/lib/app.db", "x").location == "/var/lib/app.db");
  CHECK(parse_database_url("sqlite://rel.db", "x").location == "rel.db");
  CHECK(parse_database_url("file:app.db?mode=rwc", "x").location == "app.db");
}

TEST_CASE("parse_database_url: unknown schemes are usage errors with the password masked",
          "[migrate][url]") {
  try {
    parse_database_url("mysql://root:hunter2@db/x", "DATABASE_URL");
    FAIL("no error");
  } catch (const ballast::UsageError& e) {
    const std::string msg = e.what();
    CHECK(msg.find("DATABASE_URL") != std::string::npos);
    CHECK(msg.find("hunter2") == std::string::npos);
  }
  CHECK_THROWS_AS(parse_database_url("sqlite:", "x"), ballast::UsageError);
}
