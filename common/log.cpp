#include "common/log.hpp"

#include <spdlog/logger.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <array>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <utility>

#include "common/error.hpp"
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

// One JSON object per line: {"time":…,"level":…,"program":…,"message":…}. nlohmann_json does
// the string escaping so a message with quotes or control characters stays one valid line.
class JsonFormatter final : public spdlog::formatter {
 public:
  explicit JsonFormatter(std::string program) : program_(std::move(program)) {}

  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const auto since_epoch = msg.time.time_since_epoch();
    const auto secs = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
    const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - secs);
    const std::time_t t = secs.count();
    std::tm tm{};
    gmtime_r(&t, &tm);
    char stamp[40];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    nlohmann::ordered_json line = {
        {"time", fmt::format("{}.{:03}Z", stamp, millis.count())},
        {"level", std::string(spdlog::level::to_string_view(msg.level).data(),
                              spdlog::level::to_string_view(msg.level).size())},
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

spdlog::logger& logger() {
  State& s = state();
  if (!s.logger) {
    auto sink = std::make_shared<spdlog::sinks::stderr_sink_st>();
    s.logger = std::make_shared<spdlog::logger>(s.program, std::move(sink));
    if (s.format == Format::kJson) {
      s.logger->set_formatter(std::make_unique<JsonFormatter>(s.program));
    } else {
      s.logger->set_pattern("%n: %l: %v");
    }
    s.logger->set_level(to_spdlog(s.level));
    // Every line matters in a container log that may be cut off by a kill: flush each.
    s.logger->flush_on(spdlog::level::trace);
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
