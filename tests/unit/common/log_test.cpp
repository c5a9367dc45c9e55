#include "common/log.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

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

namespace {

// What the logger writes to fd 2 while `write_lines` runs.
template <typename F>
std::string stderr_of(F write_lines) {
  std::FILE* tmp = std::tmpfile();
  REQUIRE(tmp != nullptr);
  const int saved = ::dup(STDERR_FILENO);
  ::dup2(::fileno(tmp), STDERR_FILENO);
  write_lines();
  ::dup2(saved, STDERR_FILENO);
  ::close(saved);
  std::string out(4096, '\0');
  const ssize_t n = ::pread(::fileno(tmp), out.data(), out.size(), 0);
  out.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  std::fclose(tmp);
  return out;
}

std::string utc_now_to_the_second() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return buf;
}

}  // namespace

TEST_CASE("log::write: text lines are 'program: level: message', one write each", "[common][log]") {
  ballast::log::set_program("unit");
  ballast::log::configure(Level::kInfo, Format::kText);
  const std::string out = stderr_of([] {
    ballast::log::write(Level::kWarning, "disk nearly full");
    ballast::log::write(Level::kDebug, "not shown at info");
    ballast::log::write(Level::kFatal, "stopping");
  });
  CHECK(out == "unit: warning: disk nearly full\nunit: fatal: stopping\n");
}

TEST_CASE("log::write: JSON lines carry the UTC time to the millisecond", "[common][log]") {
  ballast::log::set_program("unit");
  ballast::log::configure(Level::kInfo, Format::kJson);
  std::string before;
  std::string after;
  const std::string out = stderr_of([&] {
    before = utc_now_to_the_second();
    ballast::log::write(Level::kInfo, "hello");
    after = utc_now_to_the_second();
  });
  ballast::log::configure(Level::kInfo, Format::kText);
  // {"time":"YYYY-MM-DDTHH:MM:SS.mmmZ",...}: the stamp lies between the two readings of gmtime.
  REQUIRE(out.starts_with(R"({"time":")"));
  const std::string stamp = out.substr(9, 24);
  CHECK(stamp.size() == 24);
  CHECK(stamp[19] == '.');
  CHECK(stamp.ends_with('Z'));
  CHECK(stamp.substr(0, 19) >= before);
  CHECK(stamp.substr(0, 19) <= after);
  CHECK(out.substr(33) == R"(","level":"info","program":"unit","message":"hello"})"
                          "\n");
}
