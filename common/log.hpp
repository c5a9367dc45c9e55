#pragma once

#include <fmt/format.h>

#include <optional>
#include <string>
#include <string_view>

#include "common/log_fields.hpp"

namespace ballast::log {

enum class Level { kTrace, kDebug, kInfo, kWarning, kError, kFatal, kOff };
enum class Format { kText, kJson };

// True when a line at `level` would be written.
bool enabled(Level level);

// Sets the program name shown in every line ("migrate: warning: ...").
void set_program(std::string_view program);

// Sets the threshold and the line format. Cheap: the spdlog logger is built on first use,
// so a run that logs nothing pays nothing for it.
void configure(Level level, Format format);

// Parses Ballast's own level names strictly: trace, debug, info, warning (warn), error, fatal,
// off, in any case. nullopt for anything else.
std::optional<Level> parse_level(std::string_view text);

// Parses a level the way a shared LOG_LEVEL must be read: any case, and the names of the
// major logging stacks (syslog's notice/err/crit/emerg, Java's severe/fine/finest, winston's
// verbose/silly, "none"/"silent" for off). nullopt for anything else.
std::optional<Level> parse_level_alias(std::string_view text);

// "text" or "json" strictly; nullopt otherwise.
std::optional<Format> parse_format(std::string_view text);

// A shared LOG_FORMAT: also plain/console/pretty/logfmt (text) and ndjson/jsonl/structured/
// ecs/bunyan (json). nullopt for anything else.
std::optional<Format> parse_format_alias(std::string_view text);

// Changes only the threshold (tini's and dumb-init's -v).
void set_level(Level level);

// Writes one line at `level` to stderr after masking every registered secret in it
// (see common/secret.hpp). Never throws.
void write(Level level, std::string_view message) noexcept;

// The same with structured fields (JSON lines carry them; text lines do not).
void write(Level level, std::string_view message, const Fields& fields) noexcept;

// The longest line a log entry may have (Docker keeps 4 KiB of a health check's output).
inline constexpr std::size_t kMaxLine = 4000;

// What write() prints for `message`: control characters escaped (a value can never split an
// entry or forge another), every line at most kMaxLine bytes (the middle of a long value
// elided). Newlines stay only before an indented continuation ("\n  item").
std::string one_entry(std::string_view message);

// A log call with fields: log::with({{"file", f}, {"duration_ms", ms}}).info("applied {}", f).
class With {
 public:
  explicit With(Fields fields) : fields_(std::move(fields)) {}
  template <typename... Args>
  void at(Level level, fmt::format_string<Args...> f, Args&&... args) const {
    if (enabled(level)) write(level, fmt::format(f, std::forward<Args>(args)...), fields_);
  }
  template <typename... Args>
  void info(fmt::format_string<Args...> f, Args&&... args) const {
    at(Level::kInfo, f, std::forward<Args>(args)...);
  }
  template <typename... Args>
  void warn(fmt::format_string<Args...> f, Args&&... args) const {
    at(Level::kWarning, f, std::forward<Args>(args)...);
  }
  template <typename... Args>
  void error(fmt::format_string<Args...> f, Args&&... args) const {
    at(Level::kError, f, std::forward<Args>(args)...);
  }

 private:
  Fields fields_;
};
inline With with(Fields fields) { return With(std::move(fields)); }

template <typename... Args>
void at(Level level, fmt::format_string<Args...> f, Args&&... args) {
  if (enabled(level)) write(level, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void debug(fmt::format_string<Args...> f, Args&&... args) {
  at(Level::kDebug, f, std::forward<Args>(args)...);
}
template <typename... Args>
void info(fmt::format_string<Args...> f, Args&&... args) {
  at(Level::kInfo, f, std::forward<Args>(args)...);
}
template <typename... Args>
void warn(fmt::format_string<Args...> f, Args&&... args) {
  at(Level::kWarning, f, std::forward<Args>(args)...);
}
template <typename... Args>
void error(fmt::format_string<Args...> f, Args&&... args) {
  at(Level::kError, f, std::forward<Args>(args)...);
}
template <typename... Args>
void fatal(fmt::format_string<Args...> f, Args&&... args) {
  at(Level::kFatal, f, std::forward<Args>(args)...);
}

}  // namespace ballast::log
