#include "common/parse.hpp"

#include <catch2/catch.hpp>
#include <cstdint>

using ballast::parse_uint;
using ballast::split;
using ballast::split_once;

TEST_CASE("parse_uint: digits only, within the range, no overflow", "[common][parse]") {
  CHECK(parse_uint("0") == 0ULL);
  CHECK(parse_uint("42") == 42ULL);
  CHECK(parse_uint<unsigned>("65535", 1u, 65535u) == 65535u);
  CHECK_FALSE(parse_uint<unsigned>("65536", 1u, 65535u));
  CHECK_FALSE(parse_uint<unsigned>("0", 1u, 65535u));
  for (const char* bad : {"", "-1", "+1", " 1", "1 ", "1x", "0x10", "18446744073709551616"}) {
    INFO(bad);
    CHECK_FALSE(parse_uint(bad));
  }
  CHECK(parse_uint<std::uint64_t>("18446744073709551615") == UINT64_MAX);
  CHECK_FALSE(parse_uint<int>("2147483648"));
}

TEST_CASE("split: keeps empty parts unless asked; split_once at the first separator",
          "[common][parse]") {
  CHECK(split("a::b", ':') == std::vector<std::string_view>{"a", "", "b"});
  CHECK(split("", ':') == std::vector<std::string_view>{""});
  CHECK(split(",a,,b,", ',', true) == std::vector<std::string_view>{"a", "b"});
  const auto p = split_once("TERM:QUIT:x", ':');
  REQUIRE(p);
  CHECK(p->first == "TERM");
  CHECK(p->second == "QUIT:x");
  CHECK_FALSE(split_once("TERM", ':'));
}

TEST_CASE("contains_word: whole space-separated words only", "[common][parse]") {
  CHECK(ballast::contains_word("up migrate", "migrate"));
  CHECK(ballast::contains_word("m max-time", "m"));
  CHECK_FALSE(ballast::contains_word("up migrate", "migr"));
  CHECK_FALSE(ballast::contains_word("", "up"));
}
