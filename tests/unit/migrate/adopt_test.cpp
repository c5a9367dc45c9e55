#include "migrate/adopt.hpp"

#include <catch2/catch.hpp>

#include "common/error.hpp"

using namespace ballast::migrate;

namespace {

std::vector<Migration> files_1_to_3() {
  std::vector<Migration> out(3);
  for (std::size_t i = 0; i < 3; ++i) {
    out[i].version = Version::of(i + 1);
    out[i].file_name = "000" + std::to_string(i + 1) + "_x.sql";
    out[i].sha256 = std::string(64, static_cast<char>('a' + i));
  }
  return out;
}

ForeignEntry entry(std::uint64_t v, bool failed = false) {
  ForeignEntry e;
  e.version = Version::of(v);
  e.label = std::to_string(v);
  e.failed = failed;
  return e;
}

}  // namespace

TEST_CASE("plan_adoption: listed versions map to their files", "[migrate][adopt]") {
  const auto files = files_1_to_3();
  const auto got = plan_adoption(Tool::kDbmate, {entry(2), entry(1)}, files);
  REQUIRE(got.size() == 2);
  CHECK(got[0]->version == Version::of(1));
  CHECK(got[1]->version == Version::of(2));
}

TEST_CASE("plan_adoption: golang-migrate's one version covers every file up to it",
          "[migrate][adopt]") {
  const auto files = files_1_to_3();
  CHECK(plan_adoption(Tool::kGolangMigrate, {entry(2)}, files).size() == 2);
  CHECK_THROWS_AS(plan_adoption(Tool::kGolangMigrate, {entry(2, true)}, files), ballast::DataError);
}

TEST_CASE("plan_adoption: drizzle matches by hash", "[migrate][adopt]") {
  const auto files = files_1_to_3();
  ForeignEntry e;
  e.hash = std::string(64, 'c');
  e.label = "hash";
  const auto got = plan_adoption(Tool::kDrizzle, {e}, files);
  REQUIRE(got.size() == 1);
  CHECK(got[0]->version == Version::of(3));
}

TEST_CASE("plan_adoption: failures and missing files are listed together", "[migrate][adopt]") {
  const auto files = files_1_to_3();
  try {
    plan_adoption(Tool::kFlyway, {entry(1, true), entry(9)}, files);
    FAIL("no error");
  } catch (const ballast::DataError& e) {
    const std::string msg = e.what();
    CHECK(msg.find("(2 problems)") != std::string::npos);
    CHECK(msg.find("9 is applied but has no local migration file") != std::string::npos);
  }
  CHECK(parse_tool("flyway") == Tool::kFlyway);
  CHECK_FALSE(parse_tool("liquibase"));
}

TEST_CASE("flyway_checksum: CRC-32 over the lines without their endings", "[migrate][adopt]") {
  // crc32("abc") = 0x352441C2; line endings and a byte-order mark do not count.
  CHECK(flyway_checksum("abc") == 0x352441C2);
  CHECK(flyway_checksum("abc\n") == 0x352441C2);
  CHECK(flyway_checksum("a\r\nb\rc\n") == flyway_checksum("abc"));
  CHECK(flyway_checksum("\xEF\xBB\xBF"
                        "abc") == 0x352441C2);
  // Above 2^31 values come out negative, as Java's int holds them.
  CHECK(flyway_checksum("hello\nworld") == flyway_checksum("helloworld"));
  CHECK(flyway_checksum("The quick brown fox jumps over the lazy dog") == 0x414FA339);
  CHECK(flyway_checksum("123456789") == static_cast<std::int32_t>(0xCBF43926u));
}

TEST_CASE("plan_adoption: Flyway's dotted versions and a changed repeatable", "[migrate][adopt]") {
  std::vector<Migration> files(2);
  files[0].version = *Version::parse("1.10");
  files[0].file_name = "V1_10__x.sql";
  files[1].version = Version::repeatable("views");
  files[1].file_name = "R__views.sql";
  files[1].flyway_checksum = 42;
  ForeignEntry v;
  v.version = *Version::parse("1.10");
  v.label = "1.10 (V1_10__x.sql)";
  ForeignEntry r;
  r.version = Version::repeatable("views");
  r.label = "R__views.sql";
  r.flyway_checksum = 42;
  CHECK(plan_adoption(Tool::kFlyway, {v, r}, files).size() == 2);
  r.flyway_checksum = 41;  // the file changed since Flyway ran it: left to apply
  const auto got = plan_adoption(Tool::kFlyway, {v, r}, files);
  REQUIRE(got.size() == 1);
  CHECK(got[0]->file_name == "V1_10__x.sql");
  for (const char* t : {"goose", "sqlx", "diesel", "popx"}) CHECK(parse_tool(t));
}
