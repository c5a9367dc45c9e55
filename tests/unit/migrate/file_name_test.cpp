#include "migrate/file_name.hpp"

#include <catch2/catch.hpp>

using namespace ballast::migrate;

namespace {
Version v(const char* text) { return *Version::parse(text); }
}  // namespace

TEST_CASE("parse_file_name: Ballast, dbmate, goose, sqlx and drizzle names", "[migrate][files]") {
  const auto a = parse_file_name("0001_create_users.sql");
  REQUIRE(a.kind == NameKind::kMigration);
  CHECK(a.version == v("1"));
  CHECK(a.name == "create_users");
  CHECK(a.style == FileStyle::kPlain);
  CHECK(parse_file_name("20261122093000_add_index.sql").version == v("20261122093000"));
  CHECK(parse_file_name("0000_brave_wolverine.sql").version == v("0"));
}

TEST_CASE("parse_file_name: versions longer than 64 bits", "[migrate][files]") {
  const auto f = parse_file_name("20150100000001000000_networks.sql");
  REQUIRE(f.kind == NameKind::kMigration);
  CHECK(f.version.text() == "20150100000001000000");
}

TEST_CASE("parse_file_name: up and down files, with popx's dialects and autocommit",
          "[migrate][files]") {
  const auto g = parse_file_name("0003_x.up.sql");
  REQUIRE(g.kind == NameKind::kMigration);
  CHECK(g.style == FileStyle::kUpDown);
  CHECK(g.dialect.empty());
  const auto down = parse_file_name("0003_x.down.sql");
  CHECK(down.kind == NameKind::kIgnored);
  CHECK(down.why.find("down") != std::string::npos);

  const auto p = parse_file_name("20150100000001000000_networks.postgres.up.sql");
  REQUIRE(p.kind == NameKind::kMigration);
  CHECK(p.dialect == "postgres");
  CHECK(p.name == "networks");
  CHECK(parse_file_name("1_x.sqlite3.up.sql").dialect == "sqlite");
  CHECK(parse_file_name("1_x.cockroach.up.sql").dialect == "cockroach");
  CHECK(parse_file_name("1_x.mysql.down.sql").kind == NameKind::kIgnored);
  const auto ac = parse_file_name("20210410175418000001_index.postgres.autocommit.up.sql");
  REQUIRE(ac.kind == NameKind::kMigration);
  CHECK(ac.autocommit);
  CHECK(ac.dialect == "postgres");
  CHECK(parse_file_name("2_y.autocommit.up.sql").autocommit);
}

TEST_CASE("parse_file_name: Flyway's versions, repeatables, undo and baseline",
          "[migrate][files]") {
  const auto f = parse_file_name("V12__add_email.sql");
  REQUIRE(f.kind == NameKind::kMigration);
  CHECK(f.version == v("12"));
  CHECK(f.name == "add_email");
  CHECK(f.style == FileStyle::kFlyway);
  CHECK(parse_file_name("V1_10__x.sql").version == v("1.10"));
  CHECK(parse_file_name("V1.10__x.sql").version == v("1.10"));
  CHECK(parse_file_name("V2_1_3__x_y.sql").version == v("2.1.3"));
  CHECK(parse_file_name("V2_1_3__x_y.sql").name == "x_y");
  const auto r = parse_file_name("R__refresh_views.sql");
  REQUIRE(r.kind == NameKind::kMigration);
  CHECK(r.style == FileStyle::kRepeatable);
  CHECK(r.version.is_repeatable());
  CHECK(r.version.text() == "R__refresh_views");
  CHECK(parse_file_name("U3__drop.sql").kind == NameKind::kIgnored);
  CHECK(parse_file_name("B5__baseline.sql").kind == NameKind::kIgnored);
}

TEST_CASE("parse_file_name: code migrations are named, not applied", "[migrate][files]") {
  CHECK(parse_file_name("00002_backfill.go").kind == NameKind::kCode);
  CHECK(parse_file_name("20200101_x.fizz").kind == NameKind::kCode);
  CHECK(parse_file_name("20200101_x.down.fizz").kind == NameKind::kIgnored);
  CHECK(parse_file_name("main.go").kind == NameKind::kNone);
  CHECK(parse_file_name("00002_x_test.go").kind == NameKind::kNone);
}

TEST_CASE("parse_file_name: anything else is not a migration", "[migrate][files]") {
  for (const char* n :
       {"notes.txt", "create.sql", "_x.sql", "0001_.sql", "00a1_x.sql", "V1_x.sql", "0001_x.SQL",
        "R_x.sql", "R__.sql", "V__x.sql", "1_a.b.sql", "1_x.nosuchdb.up.sql", ".sql"}) {
    INFO(n);
    CHECK(parse_file_name(n).kind == NameKind::kNone);
  }
}

TEST_CASE("parse_folder_name: prisma and diesel folders", "[migrate][files]") {
  const auto p = parse_folder_name("20210101120000_init", FileStyle::kPrisma);
  REQUIRE(p.kind == NameKind::kMigration);
  CHECK(p.version == v("20210101120000"));
  CHECK(p.name == "init");
  const auto d = parse_folder_name("2023-01-01-120000_create_users", FileStyle::kDiesel);
  REQUIRE(d.kind == NameKind::kMigration);
  CHECK(d.version == v("20230101120000"));
  CHECK(d.name == "create_users");
  CHECK(parse_folder_name("00000000000000_diesel_initial_setup", FileStyle::kDiesel).version ==
        v("0"));
  CHECK(parse_folder_name("2023-01-01_x", FileStyle::kPrisma).kind == NameKind::kNone);
  CHECK(parse_folder_name("meta", FileStyle::kPrisma).kind == NameKind::kNone);
}

TEST_CASE("parse_file_name: a Flyway description may be empty", "[migrate][files]") {
  const auto f = parse_file_name("V1__.sql");
  REQUIRE(f.kind == NameKind::kMigration);
  CHECK(f.name.empty());
  CHECK(f.version == v("1"));
}

TEST_CASE("parse_file_name: Flyway's callbacks are recognised and skipped", "[migrate][files]") {
  for (const char* n : {"afterMigrate.sql", "beforeMigrate__set_role.sql", "afterEachMigrate.sql",
                        "beforeEachMigrateStatement.sql"}) {
    INFO(n);
    CHECK(parse_file_name(n).kind == NameKind::kIgnored);
  }
  CHECK(parse_file_name("afterwards.sql").kind == NameKind::kNone);
}

TEST_CASE("parse_file_name: with an engine, another engine's file is skipped like a down file",
          "[migrate][files]") {
  const auto other = parse_file_name("20150100000001000000_networks.mysql.up.sql", "postgres");
  CHECK(other.kind == NameKind::kIgnored);
  CHECK(other.dialect == "mysql");
  CHECK(other.name.empty());  // nothing built for a file that is never read
  CHECK(other.why.find("another engine") != std::string::npos);
  const auto own = parse_file_name("20150100000001000000_networks.postgres.up.sql", "postgres");
  REQUIRE(own.kind == NameKind::kMigration);
  CHECK(own.name == "networks");
  CHECK(parse_file_name("1_x.sqlite3.up.sql", "sqlite").kind == NameKind::kMigration);
  CHECK(parse_file_name("1_x.up.sql", "sqlite").kind == NameKind::kMigration);
  // Still a name that must read as VERSION_NAME: anything else is no migration at all.
  CHECK(parse_file_name("x.mysql.up.sql", "postgres").kind == NameKind::kNone);
}
