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

TEST_CASE("parse_signal: numbers are 1-31; real-time signals are named RTMIN+N or RTMAX-N",
          "[entrypoint][signals]") {
  CHECK(parse_signal("31", "x") == 31);
  CHECK_THROWS_WITH(parse_signal("32", "--rewrite"),
                    Catch::Contains("numbers are 1-31; name a real-time signal RTMIN+N"));
  CHECK_THROWS_AS(parse_signal("34", "--rewrite"), ballast::UsageError);
  CHECK(parse_signal("RTMIN", "x") == SIGRTMIN);
  CHECK(parse_signal("SIGRTMIN+2", "x") == SIGRTMIN + 2);
  CHECK(parse_signal("rtmax-1", "x") == SIGRTMAX - 1);
  CHECK(parse_signal("RTMAX", "x") == SIGRTMAX);
  for (const char* bad : {"RTMIN+99", "RTMAX+1", "RTMIN-1", "RTMIN+", "RTMINX"})
    CHECK_THROWS_AS(parse_signal(bad, "--rewrite"), ballast::UsageError);
  CHECK_THROWS_AS(parse_rewrites({"1:32"}, "--rewrite"), ballast::UsageError);
}
