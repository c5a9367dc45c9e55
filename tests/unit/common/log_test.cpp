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
