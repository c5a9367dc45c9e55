#include "healthcheck/report.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace ballast;

TEST_CASE("format_line: one line, verdict first", "[healthcheck][report]") {
  const probe::Result r{false, "tcp://db:5432", "connect refused", std::chrono::microseconds(1300)};
  CHECK(healthcheck::format_line(r) == "unhealthy: tcp://db:5432 connect refused in 1.3ms");
}

TEST_CASE("format_json: one object with every target", "[healthcheck][report]") {
  const std::vector<probe::Result> rs{
      {true, "file:///x", "fresh", std::chrono::milliseconds(1)},
      {false, "tcp://a:1", "connect \"refused\"", std::chrono::milliseconds(2)}};
  const auto j = nlohmann::json::parse(healthcheck::format_json(false, rs));
  CHECK(j["healthy"] == false);
  REQUIRE(j["targets"].size() == 2);
  CHECK(j["targets"][1]["detail"] == "connect \"refused\"");
  CHECK(j["targets"][0]["ms"] == 1.0);
}
