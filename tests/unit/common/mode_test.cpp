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

TEST_CASE("resolve_mode: an unknown value is an error, never a silent dev", "[common][mode]") {
  CHECK_THROWS_AS(resolve_mode(std::string("prd"), Env()), ballast::UsageError);
  try {
    resolve_mode(std::nullopt, env_of({{"APP_ENV", "live"}}));
    FAIL("no error");
  } catch (const ballast::ConfigError& e) {
    CHECK(std::string(e.what()).find("APP_ENV='live'") != std::string::npos);
    CHECK(e.exit_code() == 78);
  }
}
