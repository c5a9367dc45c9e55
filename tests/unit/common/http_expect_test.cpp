#include "common/net/http_expect.hpp"

#include <catch2/catch.hpp>

#include "common/error.hpp"

using namespace ballast::probe;

TEST_CASE("StatusRanges: the default is Kubernetes' 200-399", "[common][http]") {
  const StatusRanges r;
  CHECK(r.contains(200));
  CHECK(r.contains(302));
  CHECK(r.contains(399));
  CHECK_FALSE(r.contains(400));
  CHECK_FALSE(r.contains(199));
}

TEST_CASE("parse_status_ranges: codes, ranges and lists", "[common][http]") {
  const auto r = parse_status_ranges("200-299,304", "--status");
  CHECK(r.contains(204));
  CHECK(r.contains(304));
  CHECK_FALSE(r.contains(302));
  CHECK(parse_status_ranges("200", "--status").contains(200));
  CHECK_FALSE(parse_status_ranges("200", "--status").contains(201));
  for (const char* bad : {"", "2xx", "299-200", "99", "600", "200,", "200-"}) {
    INFO(bad);
    CHECK_THROWS_AS(parse_status_ranges(bad, "--status"), ballast::UsageError);
  }
}

TEST_CASE("check_json: strings, numbers, booleans and null at JSON pointers", "[common][http]") {
  const std::string body =
      R"({"status":"healthy","checks":{"db":{"ok":true,"ms":3.0,"err":null}},"a/b":1})";
  CHECK_FALSE(check_json(body, {{"/status", "healthy"},
                                {"/checks/db/ok", "true"},
                                {"/checks/db/ms", "3"},
                                {"/checks/db/err", "null"},
                                {"/a~1b", "1"}}));
  CHECK(check_json(body, {{"/status", "degraded"}}) ==
        R"(/status is "healthy", expected "degraded")");
  CHECK(check_json(body, {{"/checks/db/ok", "false"}}) ==
        R"(/checks/db/ok is true, expected "false")");
  CHECK(check_json(body, {{"/checks/cache", "x"}}) == "/checks/cache is missing");
  CHECK(check_json(body, {{"/checks/db/ms", "3x"}}));
  CHECK(check_json("<html>", {{"/status", "healthy"}}) == "body is not JSON");
  CHECK_FALSE(check_json("<html>", {}));
}

TEST_CASE("parse_json_expectation: /pointer=value", "[common][http]") {
  const auto e = parse_json_expectation("/status=healthy", "--expect-json");
  CHECK(e.pointer == "/status");
  CHECK(e.expected == "healthy");
  CHECK(parse_json_expectation("/a=b=c", "x").expected == "b=c");
  CHECK_THROWS_AS(parse_json_expectation("status=healthy", "x"), ballast::UsageError);
  CHECK_THROWS_AS(parse_json_expectation("/status", "x"), ballast::UsageError);
  CHECK_THROWS_AS(parse_json_expectation("/a~2=1", "x"), ballast::UsageError);
}

TEST_CASE("check_json: odd expectations and bodies are judged, never thrown", "[common][http]") {
  using ballast::probe::check_json;
  using ballast::probe::parse_json_expectation;
  // A pointer that cannot index an array ("", "x", a huge index) is simply missing.
  for (const char* e : {"/=x", "/x=1", "/99999999999999999999999=1"})
    CHECK(check_json("[1, 2]", {parse_json_expectation(e, "--expect-json")})
              .value()
              .ends_with("is missing"));
  // An expected value that is not UTF-8 is shown, not thrown.
  const auto why = check_json(R"({"s": "ok"})", {parse_json_expectation("/s=\xe7", "x")});
  REQUIRE(why);
  CHECK(why->starts_with("/s is \"ok\", expected "));
  // A number beyond a double in the body: not JSON we can judge.
  CHECK(check_json(R"({"n": 1e999})", {parse_json_expectation("/n=1", "x")}) == "body is not JSON");
  // A 60 KB value is not echoed whole.
  const std::string big = R"({"s": ")" + std::string(60000, 'v') + R"("})";
  CHECK(check_json(big, {parse_json_expectation("/s=ok", "x")}).value().size() < 600);
}
