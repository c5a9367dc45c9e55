#include "migrate/version.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

using namespace ballast::migrate;

namespace {
Version v(const char* text) {
  auto parsed = Version::parse(text);
  REQUIRE(parsed);
  return *parsed;
}
}  // namespace

TEST_CASE("Version: numbers of any length compare as numbers", "[migrate][version]") {
  CHECK(v("9") < v("10"));
  CHECK(v("0001") == v("1"));
  CHECK(v("20150100000001000000") > v("9999999999999999999"));  // past 64 bits
  CHECK(v("20150100000001000000") < v("20150100000001000001"));
  CHECK(v("123456789012345678901234567890").text() == "123456789012345678901234567890");
  CHECK(v("0007").text() == "7");
  CHECK(v("0").text() == "0");
}

TEST_CASE("Version: Flyway's dotted and underscored versions", "[migrate][version]") {
  CHECK(v("1.9") < v("1.10"));
  CHECK(v("1_10") == v("1.10"));
  CHECK(v("1_10").text() == "1.10");
  CHECK(v("1.0") == v("1"));
  CHECK(v("1.0.0").text() == "1");
  CHECK(v("2.1.3") > v("2.1"));
  CHECK(v("2.1.3") < v("2.2"));
  CHECK(v("1.01") == v("1.1"));
  std::vector<Version> all{v("2"), v("1.10"), v("1.2"), v("1"), v("1.2.1")};
  std::sort(all.begin(), all.end());
  std::vector<std::string> texts;
  texts.reserve(all.size());
  for (const auto& x : all) texts.push_back(x.text());
  CHECK(texts == std::vector<std::string>{"1", "1.2", "1.2.1", "1.10", "2"});
}

TEST_CASE("Version: repeatable migrations sort after every versioned one, by name",
          "[migrate][version]") {
  const auto a = Version::repeatable("a_views");
  const auto b = Version::repeatable("b_grants");
  CHECK(a > v("99999999999999999999999"));
  CHECK(a < b);
  CHECK(a.text() == "R__a_views");
  CHECK(Version::from_history("R__a_views") == a);
  CHECK(Version::from_history("12") == v("12"));
  CHECK(a.is_repeatable());
  CHECK_FALSE(a.is_number());
  CHECK(v("12").is_number());
  CHECK_FALSE(v("1.2").is_number());
}

TEST_CASE("Version: anything else is no version", "[migrate][version]") {
  for (const char* bad : {"", "x", "1.", ".1", "1..2", "-1", "+1", "1a", "1 2", "1__2", "R__"}) {
    INFO(bad);
    CHECK_FALSE(Version::parse(bad));
  }
  CHECK_FALSE(Version::from_history("R__"));
}
