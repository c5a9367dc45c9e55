#include "common/log.hpp"

#include <spdlog/formatter.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/sink.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <utility>

#include "common/error.hpp"
#include "common/fd.hpp"
#include "common/secret.hpp"
#include "common/text.hpp"

namespace ballast::log {
namespace {

struct State {
  std::string program = "ballast";
  Level level = Level::kInfo;
  Format format = Format::kText;
  std::shared_ptr<spdlog::logger> logger;
  const Fields* fields = nullptr;  // of the line being written (single-threaded programs)
};

State& state() {
  static State s;
  return s;
}

spdlog::level::level_enum to_spdlog(Level level) {
  switch (level) {
    case Level::kTrace:
      return spdlog::level::trace;
    case Level::kDebug:
      return spdlog::level::debug;
    case Level::kInfo:
      return spdlog::level::info;
    case Level::kWarning:
      return spdlog::level::warn;
    case Level::kError:
      return spdlog::level::err;
    case Level::kFatal:
      return spdlog::level::critical;
    case Level::kOff:
      return spdlog::level::off;
  }
  return spdlog::level::info;
}

std::string_view level_name(spdlog::level::level_enum level) {
  const auto name = spdlog::level::to_string_view(level);
  return {name.data(), name.size()};
}

// "2026-12-04T10:49:03.123Z" by calendar arithmetic (std::chrono's civil-date types), not
// gmtime_r/strftime: in a static glibc those link the time-zone reader and sscanf (~90 KB of
// entrypoint) for a stamp that is always UTC.
std::string utc_stamp(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{floor<milliseconds>(t - day)};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count(),
                     hms.subseconds().count());
}

// "program: level: message", what spdlog's pattern "%n: %l: %v" gives, without its pattern
// formatter (which links localtime_r for the time flags this format never uses).
class TextFormatter final : public spdlog::formatter {
 public:
  explicit TextFormatter(std::string program) : program_(std::move(program)) {}

  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    fmt::format_to(std::back_inserter(dest), "{}: {}: {}\n", program_, level_name(msg.level),
                   std::string_view(msg.payload.data(), msg.payload.size()));
  }

  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<TextFormatter>(program_);
  }

 private:
  std::string program_;
};

// One JSON object per line: {"time":…,"level":…,"program":…,"message":…}. nlohmann_json does
// the string escaping so a message with quotes or control characters stays one valid line.
class JsonFormatter final : public spdlog::formatter {
 public:
  explicit JsonFormatter(std::string program) : program_(std::move(program)) {}

  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    nlohmann::ordered_json line = {
        {"time", utc_stamp(msg.time)},
        {"level", std::string(level_name(msg.level))},
        {"program", program_},
        {"message", std::string(msg.payload.data(), msg.payload.size())},
    };
    if (const Fields* fields = state().fields) {
      for (const auto& f : *fields) {
        if (line.contains(f.key)) continue;  // the four above are never overwritten
        if (f.number)
          line[f.key] = *f.number;
        else
          line[f.key] = secret::mask_known(f.text);
      }
    }
    const std::string text =
        line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    dest.append(text.data(), text.data() + text.size());
    dest.push_back('\n');
  }

  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>(program_);
  }

 private:
  std::string program_;
};

// Each line goes to fd 2 in one write(2), unbuffered: a container log cut off by a kill has
// every line written before it, and a PID 1 needs no stdio lock. spdlog's own stderr sinks
// would also build a pattern formatter (and link the time-zone code) that is never used.
class StderrSink final : public spdlog::sinks::sink {
 public:
  explicit StderrSink(std::unique_ptr<spdlog::formatter> formatter)
      : formatter_(std::move(formatter)) {}

  void log(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t line;
    formatter_->format(msg, line);
    // A failure (stderr closed or full) has nowhere left to be said: the line is dropped.
    (void)write_all(STDERR_FILENO, std::string_view(line.data(), line.size()));
  }
  void flush() override {}
  // Ballast sets formatters, never patterns: a pattern would need spdlog's pattern formatter.
  void set_pattern(const std::string& pattern) override { (void)pattern; }
  void set_formatter(std::unique_ptr<spdlog::formatter> formatter) override {
    formatter_ = std::move(formatter);
  }

 private:
  std::unique_ptr<spdlog::formatter> formatter_;
};

spdlog::logger& logger() {
  State& s = state();
  if (!s.logger) {
    std::unique_ptr<spdlog::formatter> formatter;
    if (s.format == Format::kJson)
      formatter = std::make_unique<JsonFormatter>(s.program);
    else
      formatter = std::make_unique<TextFormatter>(s.program);
    s.logger = std::make_shared<spdlog::logger>(s.program,
                                                std::make_shared<StderrSink>(std::move(formatter)));
    s.logger->set_level(to_spdlog(s.level));
  }
  return *s.logger;
}

}  // namespace

void set_program(std::string_view program) {
  state().program = program;
  state().logger.reset();
}

void configure(Level level, Format format) {
  state().level = level;
  state().format = format;
  state().logger.reset();
}

std::optional<Level> parse_level(std::string_view text) {
  const std::string t = ascii_lower(text);
  if (t == "trace") return Level::kTrace;
  if (t == "debug") return Level::kDebug;
  if (t == "info") return Level::kInfo;
  if (t == "warning" || t == "warn") return Level::kWarning;
  if (t == "error") return Level::kError;
  if (t == "fatal") return Level::kFatal;
  if (t == "off") return Level::kOff;
  return std::nullopt;
}

std::optional<Level> parse_level_alias(std::string_view text) {
  const std::string_view v = trim(text);
  if (auto l = parse_level(v)) return l;
  const std::string t = ascii_lower(v);
  constexpr std::array<std::pair<std::string_view, Level>, 24> kAliases{{
      {"all", Level::kTrace},          {"finest", Level::kTrace},    {"finer", Level::kTrace},
      {"silly", Level::kTrace},        {"verbose", Level::kDebug},   {"fine", Level::kDebug},
      {"dbg", Level::kDebug},          {"notice", Level::kInfo},     {"information", Level::kInfo},
      {"informational", Level::kInfo}, {"config", Level::kInfo},     {"http", Level::kInfo},
      {"wrn", Level::kWarning},        {"err", Level::kError},       {"severe", Level::kError},
      {"critical", Level::kFatal},     {"crit", Level::kFatal},      {"alert", Level::kFatal},
      {"emerg", Level::kFatal},        {"emergency", Level::kFatal}, {"panic", Level::kFatal},
      {"none", Level::kOff},           {"silent", Level::kOff},      {"quiet", Level::kOff},
  }};
  for (const auto& [name, level] : kAliases)
    if (t == name) return level;
  return std::nullopt;
}

std::optional<Format> parse_format(std::string_view text) {
  const std::string t = ascii_lower(text);
  if (t == "text") return Format::kText;
  if (t == "json") return Format::kJson;
  return std::nullopt;
}

std::optional<Format> parse_format_alias(std::string_view text) {
  if (auto f = parse_format(trim(text))) return f;
  const std::string t = ascii_lower(trim(text));
  for (const std::string_view name :
       {"plain", "console", "pretty", "human", "txt", "logfmt", "default", "dev"})
    if (t == name) return Format::kText;
  for (const std::string_view name : {"ndjson", "jsonl", "json-lines", "jsonlines", "structured",
                                      "ecs", "bunyan", "gcp", "stackdriver"})
    if (t == name) return Format::kJson;
  return std::nullopt;
}

void set_level(Level level) { configure(level, state().format); }

bool enabled(Level level) { return level >= state().level && level != Level::kOff; }

void write(Level level, std::string_view message, const Fields& fields) noexcept {
  state().fields = &fields;
  write(level, message);
  state().fields = nullptr;
}

std::string one_entry(std::string_view message) {
  std::string out;
  out.reserve(std::min(message.size(), kMaxLine));
  std::size_t start = 0;
  for (;;) {
    // A newline stays only where a message continues on indented lines ("\n  item"): the one
    // multi-line form Ballast writes. Any other is part of a value and is escaped with the rest.
    std::size_t end = start;
    for (;;) {
      end = message.find('\n', end);
      if (end == std::string_view::npos || message.substr(end + 1, 2) == "  ") break;
      ++end;
    }
    const std::string_view line =
        message.substr(start, end == std::string_view::npos ? message.npos : end - start);
    out += shown(line, kMaxLine);
    if (end == std::string_view::npos) return out;
    out += '\n';
    start = end + 1;
  }
}

void write(Level level, std::string_view message) noexcept {
  try {
    const std::string masked = one_entry(secret::mask_known(message));
    logger().log(to_spdlog(level), spdlog::string_view_t(masked.data(), masked.size()));
  } catch (...) {
    // A logger that cannot write has nowhere to report that; dropping the line is all we can do.
  }
}

}  // namespace ballast::log
