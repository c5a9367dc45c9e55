#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>

namespace ballast::log {

enum class Level { kTrace, kDebug, kInfo, kWarning, kError, kFatal, kOff };
enum class Format { kText, kJson };

// Sets the program name shown in every line ("migrate: warning: ...").
void set_program(std::string_view program);

// Sets the threshold and the line format. Cheap: the spdlog logger is built on first use,
// so a run that logs nothing pays nothing for it.
void configure(Level level, Format format);

// Parses "trace|debug|info|warning|warn|error|fatal|off"; throws UsageError naming `source`
// (e.g. "--log-level" or "LOG_LEVEL") for anything else.
Level parse_level(std::string_view text, std::string_view source);

// Parses "text|json"; throws UsageError naming `source` for anything else.
Format parse_format(std::string_view text, std::string_view source);

// True when a line at `level` would be written.
bool enabled(Level level);

// Writes one line at `level` to stderr after masking every registered secret in it
// (see common/secret.hpp). Never throws.
void write(Level level, std::string_view message) noexcept;

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
