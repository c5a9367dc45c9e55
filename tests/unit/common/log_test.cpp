#include "common/log.hpp"

#include <catch2/catch.hpp>

using ballast::log::Format;
using ballast::log::Level;

TEST_CASE("log::parse_level: Ballast's own names, any case, nothing else", "[common][log]") {
  CHECK(ballast::log::parse_level("INFO") == Level::kInfo);
  CHECK(ballast::log::parse_level("warn") == Level::kWarning);
  CHECK_FALSE(ballast::log::parse_level("verbose"));
  CHECK_FALSE(ballast::log::parse_level("err"));
}

TEST_CASE("log::parse_level_alias: the level names of the common logging stacks", "[common][log]") {
  const std::vector<std::pair<std::string, Level>> cases{
      {"INFO", Level::kInfo},       {"DEBUG", Level::kDebug},    {"WARN", Level::kWarning},
      {"Warning", Level::kWarning}, {"verbose", Level::kDebug},  {"notice", Level::kInfo},
      {"err", Level::kError},       {"critical", Level::kFatal}, {"FATAL", Level::kFatal},
      {"emerg", Level::kFatal},     {"severe", Level::kError},   {"silent", Level::kOff},
      {"none", Level::kOff},        {"all", Level::kTrace},      {"info\r", Level::kInfo}};
  for (const auto& [text, level] : cases) {
    INFO(text);
    CHECK(ballast::log::parse_level_alias(text) == level);
  }
  CHECK_FALSE(ballast::log::parse_level_alias("loud"));
}

TEST_CASE("log::parse_format_alias: text and JSON under their usual names", "[common][log]") {
  CHECK(ballast::log::parse_format_alias("logfmt") == Format::kText);
  CHECK(ballast::log::parse_format_alias("Console") == Format::kText);
  CHECK(ballast::log::parse_format_alias("ndjson") == Format::kJson);
  CHECK(ballast::log::parse_format_alias("JSON") == Format::kJson);
  CHECK_FALSE(ballast::log::parse_format_alias("xml"));
  CHECK_FALSE(ballast::log::parse_format("logfmt"));
}

TEST_CASE("log::one_entry: a value's newline or escape code cannot split or forge a line",
          "[common][log]") {
  using ballast::log::one_entry;
  CHECK(one_entry("invalid --mode 'x\nmigrate: info: all good'") ==
        "invalid --mode 'x\\nmigrate: info: all good'");
  CHECK(one_entry("bad \x1b[2Jvalue\r") == "bad \\x1b[2Jvalue\\r");
  // The one deliberate multi-line form: indented continuation lines.
  CHECK(one_entry("2 problems in m:\n  a.sql: x\n  b.sql: y") ==
        "2 problems in m:\n  a.sql: x\n  b.sql: y");
}

TEST_CASE("log::one_entry: every line is at most kMaxLine bytes", "[common][log]") {
  using ballast::log::one_entry;
  const std::string entry = one_entry("value '" + std::string(128 * 1024, 'v') + "' refused");
  CHECK(entry.size() <= ballast::log::kMaxLine + 64);
  CHECK(entry.starts_with("value 'vvv"));
  CHECK(entry.ends_with("vvv' refused"));
}
