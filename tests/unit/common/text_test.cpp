#include "common/text.hpp"

#include <catch2/catch.hpp>

using ballast::shown;

TEST_CASE("shown: control characters are escaped, so a value never splits a log line",
          "[common][text]") {
  CHECK(shown("a\nb") == "a\\nb");
  CHECK(shown("x\r\n\tX-Injected: 1") == "x\\r\\n\\tX-Injected: 1");
  CHECK(shown(std::string_view("\0\x1b[31m\x7f", 7)) == "\\x00\\x1b[31m\\x7f");
  CHECK(shown("plain é value") == "plain é value");
}

TEST_CASE("shown: a long value keeps its start and end, the middle elided with its size",
          "[common][text]") {
  const std::string big = "BEGIN" + std::string(128 * 1024, 'x') + "END";
  const std::string s = shown(big);
  CHECK(s.size() < 300);
  CHECK(s.starts_with("BEGIN"));
  CHECK(s.ends_with("END"));
  CHECK(s.find("[131080 bytes]") != std::string::npos);
  CHECK(shown(std::string(200, 'y')) == std::string(200, 'y'));
}

TEST_CASE("shown: never cuts inside a UTF-8 character", "[common][text]") {
  std::string euros;
  for (int i = 0; i < 200; ++i) euros += "€";  // three bytes each
  const std::string s = shown(euros);
  const auto head = s.substr(0, s.find("…["));
  CHECK(head.size() % 3 == 0);
}

TEST_CASE("shown: text that is not UTF-8 is still cut to its bound", "[common][text]") {
  const std::string junk(9000, '\x80');  // continuation bytes only
  CHECK(shown(junk, 100).size() < 400);
}
