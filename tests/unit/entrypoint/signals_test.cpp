#include "entrypoint/signals.hpp"

#include <signal.h>
#include <catch2/catch.hpp>

#include "common/error.hpp"

using namespace ballast::entrypoint;

TEST_CASE("parse_signal: names with or without SIG, any case, and numbers",
          "[entrypoint][signals]") {
  CHECK(parse_signal("TERM", "x") == SIGTERM);
  CHECK(parse_signal("SIGQUIT", "x") == SIGQUIT);
  CHECK(parse_signal("usr1", "x") == SIGUSR1);
  CHECK(parse_signal("15", "x") == 15);
  for (const char* bad : {"KILL", "SIGSTOP", "9", "0", "65", "NOPE", "", "TERM2"}) {
    INFO(bad);
    CHECK_THROWS_AS(parse_signal(bad, "--rewrite"), ballast::UsageError);
  }
}

TEST_CASE("parse_rewrites: FROM:TO pairs, 0 drops the signal", "[entrypoint][signals]") {
  const auto m = parse_rewrites({"TERM:QUIT", "HUP:0"}, "--rewrite");
  CHECK(m.at(SIGTERM) == SIGQUIT);
  CHECK(m.at(SIGHUP) == 0);
  CHECK_THROWS_AS(parse_rewrites({"TERM"}, "--rewrite"), ballast::UsageError);
  CHECK_THROWS_AS(parse_rewrites({"TERM:KILL"}, "--rewrite"), ballast::UsageError);
}

TEST_CASE("parse_exit_remaps: codes 0-255 only", "[entrypoint][signals]") {
  CHECK(parse_exit_remaps({"143:0", "130:1"}, "--remap-exit").at(143) == 0);
  for (const char* bad : {"143", "256:0", "1:-1", "a:b", "143:"}) {
    INFO(bad);
    CHECK_THROWS_AS(parse_exit_remaps({bad}, "--remap-exit"), ballast::UsageError);
  }
}
