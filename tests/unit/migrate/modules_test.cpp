#include "migrate/modules.hpp"

#include <catch2/catch.hpp>

#include "common/error.hpp"

using namespace ballast;
using namespace ballast::migrate;

TEST_CASE("is_semver_tag: vMAJOR.MINOR.PATCH, pre-releases only when allowed",
          "[migrate][modules]") {
  CHECK(is_semver_tag("v1.0.2", false));
  CHECK(is_semver_tag("v10.20.30", false));
  CHECK_FALSE(is_semver_tag("1.0.2", false));
  CHECK_FALSE(is_semver_tag("v1.0", false));
  CHECK_FALSE(is_semver_tag("v1.0.2.3", false));
  CHECK_FALSE(is_semver_tag("v01.0.2", false));
  CHECK_FALSE(is_semver_tag("latest", false));
  CHECK_FALSE(is_semver_tag("v1.2.0-rc.1", false));
  CHECK(is_semver_tag("v1.2.0-rc.1", true));
  CHECK_FALSE(is_semver_tag("v1.2.0-", true));
}

TEST_CASE("parse_modules: the flat form and the per-environment form", "[migrate][modules]") {
  const auto flat = parse_modules(
      R"({"modules":[{"id":"a","repository":"r","tag":"v1.0.0","migrations":"m/a","enabled":false}]})",
      "x.json", Mode::kProd);
  REQUIRE(flat.modules.size() == 1);
  CHECK_FALSE(flat.modules[0].enabled);
  CHECK(flat.modules[0].json_path == "modules[0]");
  const std::string env =
      R"({"development":{"modules":[{"id":"a","repository":"r","branch":"dev","migrations":"m"}]},
    "production":{"modules":[{"id":"a","repository":"r","tag":"v2.0.0","migrations":"m"}]}})";
  CHECK(parse_modules(env, "x.json", Mode::kProd).modules[0].tag == "v2.0.0");
  CHECK(parse_modules(env, "x.json", Mode::kDev).modules[0].branch == "dev");
  CHECK(parse_modules(env, "x.json", Mode::kStaging).modules[0].branch == "dev");
}

TEST_CASE("check_pins: branches, bad tags and strict pins block in prod only",
          "[migrate][modules]") {
  ModulesFile f = parse_modules(R"({"modules":[
      {"id":"a","repository":"r","branch":"develop","migrations":"m"},
      {"id":"b","repository":"r","tag":"stable","migrations":"m"},
      {"id":"c","repository":"r","tag":"v1.0.0","migrations":"m"},
      {"id":"d","repository":"r","branch":"x","migrations":"m","enabled":false}]})",
                                "x.json", Mode::kProd);
  const auto prod = check_pins(f, PinOptions{true, false, false});
  REQUIRE(prod.size() == 2);
  CHECK(prod[0].blocking);
  CHECK(prod[0].reason.find("follows branch 'develop'") == 0);
  CHECK(prod[1].reason.find("not vMAJOR.MINOR.PATCH") != std::string::npos);
  const auto dev = check_pins(f, PinOptions{false, false, false});
  REQUIRE(dev.size() == 2);
  CHECK_FALSE(dev[0].blocking);
  CHECK(check_pins(f, PinOptions{true, false, true}).size() == 5);
}
