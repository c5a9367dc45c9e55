#include "common/program.hpp"

#include <fmt/format.h>

#include <cstdio>

#include "common/build_info.hpp"
#include "common/error.hpp"
#include "common/log.hpp"
#include "common/text.hpp"

namespace ballast {
namespace {

// A bad value of one of Ballast's own names: a usage error for a flag, a configuration error
// for a BALLAST_* variable.
[[noreturn]] void strict_error(const std::string& source, const std::string& value,
                               std::string_view accepted) {
  const std::string msg = fmt::format("invalid {} '{}': use {}", source, shown(value), accepted);
  if (source.starts_with("--")) throw UsageError(msg);
  throw ConfigError(msg);
}

}  // namespace

std::vector<cli::Option> with_common_options(std::span<const cli::Option> own) {
  std::vector<cli::Option> all(own.begin(), own.end());
  const auto common = cli::common_options();
  all.insert(all.end(), common.begin(), common.end());
  return all;
}

std::string version_line(std::string_view name) {
  return fmt::format("{} (Ballast) {}", name, BALLAST_VERSION);
}

std::string version_text(const ProgramInfo& info) {
  return version_line(info.name) + "\n" +
         build_info_text(info.libraries != nullptr ? info.libraries() : std::string());
}

std::optional<int> handle_common_options(const ProgramInfo& info,
                                         std::span<const cli::Option> options,
                                         const cli::Args& args, const Env& env) {
  if (args.flag("help")) {
    const std::string text = cli::help_text(info.synopsis, info.summary, options, info.footer);
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
  }
  if (args.flag("version")) {
    const std::string text = version_text(info);
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
  }
  // --log-level and BALLAST_LOG_LEVEL are Ballast's own: strict. LOG_LEVEL and LOG_FORMAT
  // belong to the app sharing this environment: read tolerantly, and a value Ballast does not
  // know costs one warning, never the container.
  std::vector<std::string> warnings;
  // One setting: the strict option (or BALLAST_ variable), else the app's variable read with
  // `tolerant`, else `fallback`.
  const auto resolve = [&](auto fallback, std::string_view option, auto strict,
                           std::string_view accepted, std::string_view shared_name, auto tolerant) {
    if (auto v = args.value(option)) {
      const auto parsed = strict(*v);
      if (!parsed) strict_error(args.source(option), *v, accepted);
      return *parsed;
    }
    if (auto shared = env.get(shared_name); shared && !shared->empty()) {
      if (auto parsed = tolerant(*shared)) return *parsed;
      warnings.push_back(fmt::format(
          "{}='{}' is not a value Ballast knows: using its default (set BALLAST_{} to one of "
          "{}, apart from the app's)",
          shared_name, shown(*shared), shared_name, accepted));
    }
    return fallback;
  };
  const log::Level level = resolve(log::Level::kInfo, "log-level", log::parse_level,
                                   "trace, debug, info, warning, error, fatal or off", "LOG_LEVEL",
                                   log::parse_level_alias);
  const log::Format format = resolve(log::Format::kText, "log-format", log::parse_format,
                                     "text or json", "LOG_FORMAT", log::parse_format_alias);
  log::configure(level, format);
  for (const auto& w : warnings) log::warn("{}", w);
  return std::nullopt;
}

}  // namespace ballast
