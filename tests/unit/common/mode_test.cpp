#include "common/mode.hpp"

#include <catch2/catch.hpp>

#include "common/error.hpp"

using ballast::Env;
using ballast::Mode;
using ballast::resolve_mode;

namespace {
Env env_of(std::map<std::string, std::string, std::less<>> vars) { return Env(std::move(vars)); }
}  // namespace

TEST_CASE("resolve_mode: flag beats MODE beats APP_ENV beats NODE_ENV", "[common][mode]") {
  const Env all = env_of({{"MODE", "staging"}, {"APP_ENV", "test"}, {"NODE_ENV", "production"}});
  CHECK(resolve_mode(std::string("dev"), all).mode == Mode::kDev);
  CHECK(resolve_mode(std::string("dev"), all).source == "--mode");
  CHECK(resolve_mode(std::nullopt, all).mode == Mode::kStaging);
  CHECK(resolve_mode(std::nullopt, env_of({{"APP_ENV", "test"}, {"NODE_ENV", "production"}}))
            .source == "APP_ENV");
  const auto node = resolve_mode(std::nullopt, env_of({{"NODE_ENV", "production"}}));
  CHECK(node.mode == Mode::kProd);
  CHECK(node.source == "NODE_ENV");
}

TEST_CASE("resolve_mode: nothing set means dev; set-but-empty counts as unset", "[common][mode]") {
  CHECK(resolve_mode(std::nullopt, Env()).mode == Mode::kDev);
  CHECK(resolve_mode(std::nullopt, Env()).source == "default");
  CHECK(resolve_mode(std::nullopt, env_of({{"MODE", ""}, {"APP_ENV", "prod"}})).mode ==
        Mode::kProd);
}

TEST_CASE("resolve_mode: accepts long names in any case", "[common][mode]") {
  CHECK(resolve_mode(std::nullopt, env_of({{"MODE", "Production"}})).mode == Mode::kProd);
  CHECK(resolve_mode(std::nullopt, env_of({{"MODE", "DEVELOPMENT"}})).mode == Mode::kDev);
  CHECK(resolve_mode(std::string("stage"), Env()).mode == Mode::kStaging);
}

TEST_CASE("resolve_mode: Ballast's own names are strict", "[common][mode]") {
  CHECK_THROWS_AS(resolve_mode(std::string("blue"), Env()), ballast::UsageError);
  try {
    resolve_mode(std::nullopt, env_of({{"BALLAST_MODE", "blue"}, {"MODE", "dev"}}));
    FAIL("no error");
  } catch (const ballast::ConfigError& e) {
    CHECK(std::string(e.what()).find("BALLAST_MODE='blue'") != std::string::npos);
    CHECK(e.exit_code() == 78);
  }
  const auto own = resolve_mode(std::nullopt, env_of({{"BALLAST_MODE", "dev"}, {"MODE", "prod"}}));
  CHECK(own.mode == Mode::kDev);
  CHECK(own.source == "BALLAST_MODE");
}

TEST_CASE("resolve_mode: the app's names are read tolerantly; unknown means prod, no error",
          "[common][mode]") {
  const auto unknown = resolve_mode(std::nullopt, env_of({{"APP_ENV", "blue"}}));
  CHECK(unknown.mode == Mode::kProd);
  CHECK(unknown.source.find("APP_ENV") == 0);
  CHECK(resolve_mode(std::nullopt, env_of({{"MODE", "weird"}})).mode == Mode::kProd);
}

TEST_CASE("resolve_mode: frameworks' values map to the four modes", "[common][mode]") {
  const std::vector<std::pair<std::string, Mode>> cases{
      {"production", Mode::kProd}, {"live", Mode::kProd},       {"PRD", Mode::kProd},
      {"staging", Mode::kStaging}, {"preprod", Mode::kStaging}, {"uat", Mode::kStaging},
      {"local", Mode::kDev},       {"Development", Mode::kDev}, {"ci", Mode::kTest},
      {"testing", Mode::kTest}};
  for (const auto& [value, mode] : cases) {
    INFO(value);
    CHECK(resolve_mode(std::nullopt, env_of({{"APP_ENV", value}})).mode == mode);
  }
}

TEST_CASE("resolve_mode: RAILS_ENV and RACK_ENV come between APP_ENV and NODE_ENV",
          "[common][mode]") {
  const auto rails = resolve_mode(
      std::nullopt, env_of({{"RAILS_ENV", "production"}, {"NODE_ENV", "development"}}));
  CHECK(rails.mode == Mode::kProd);
  CHECK(rails.source == "RAILS_ENV");
  CHECK(resolve_mode(std::nullopt, env_of({{"RACK_ENV", "test"}})).mode == Mode::kTest);
  CHECK(resolve_mode(std::nullopt, env_of({{"APP_ENV", "local"}, {"RAILS_ENV", "production"}}))
            .mode == Mode::kDev);
}
