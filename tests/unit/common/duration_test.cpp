#include "common/duration.hpp"

#include <catch2/catch.hpp>

#include "common/error.hpp"

using ballast::parse_duration;
using namespace std::chrono_literals;

TEST_CASE("parse_duration: each unit and sums of units", "[common][duration]") {
  CHECK(parse_duration("250ms", "--t") == 250ms);
  CHECK(parse_duration("5s", "--t") == 5000ms);
  CHECK(parse_duration("2m", "--t") == 120000ms);
  CHECK(parse_duration("1h", "--t") == 3600000ms);
  CHECK(parse_duration("1m30s", "--t") == 90000ms);
  CHECK(parse_duration("0", "--t") == 0ms);
}

TEST_CASE("parse_duration: bare numbers are seconds; decimals as curl and Docker write them",
          "[common][duration]") {
  CHECK(parse_duration("5", "--t") == 5000ms);
  CHECK(parse_duration("1.5", "--t") == 1500ms);
  CHECK(parse_duration("0.25", "--t") == 250ms);
  CHECK(parse_duration("1.5s", "--t") == 1500ms);
  CHECK(parse_duration("1.5m", "--t") == 90000ms);
  CHECK(parse_duration(".5s", "--t") == 500ms);
  CHECK(parse_duration("1m0.5s", "--t") == 60500ms);
  CHECK(parse_duration("8760h", "--t") == 8760h);
}

TEST_CASE("parse_duration: unknown units, junk and overflow are usage errors naming the source",
          "[common][duration]") {
  for (const char* bad : {"", "5x", "s", "-5s", "5 s", "1.s", ".", "5s5", "99999999999999999999h",
                          "2562048h", "9223372036854775807ms", "9000h"}) {
    INFO(bad);
    try {
      parse_duration(bad, "--timeout");
      FAIL("no error");
    } catch (const ballast::UsageError& e) {
      CHECK(std::string(e.what()).find("--timeout") != std::string::npos);
      CHECK(e.exit_code() == 64);
    }
  }
}

TEST_CASE("format_duration: picks a unit humans read at a glance", "[common][duration]") {
  CHECK(ballast::format_duration(850us) == "850us");
  CHECK(ballast::format_duration(1300us) == "1.3ms");
  CHECK(ballast::format_duration(2410ms) == "2.41s");
  CHECK(ballast::format_duration(185s) == "3m05s");
}
