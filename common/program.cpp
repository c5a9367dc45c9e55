#include "common/program.hpp"

#include <fmt/format.h>

#include <cstdio>

#include "common/error.hpp"
#include "common/log.hpp"

namespace ballast {
namespace {

// A bad value of one of Ballast's own names: a usage error for a flag, a configuration error
// for a BALLAST_* variable.
[[noreturn]] void strict_error(const std::string& source, const std::string& value,
                               std::string_view accepted) {
  const std::string msg = fmt::format("invalid {} '{}': use {}", source, value, accepted);
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

std::optional<int> handle_common_options(const ProgramInfo& info,
                                         std::span<const cli::Option> options,
                                         const cli::Args& args, const Env& env) {
  if (args.flag("help")) {
    const std::string text = cli::help_text(info.synopsis, info.summary, options, info.footer);
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
  }
  if (args.flag("version")) {
    std::puts(version_line(info.name).c_str());
    return 0;
  }
  // --log-level and BALLAST_LOG_LEVEL are Ballast's own: strict. LOG_LEVEL and LOG_FORMAT
  // belong to the app sharing this environment: read tolerantly, and a value Ballast does not
  // know costs one warning, never the container.
  log::Level level = log::Level::kInfo;
  log::Format format = log::Format::kText;
  std::vector<std::string> warnings;
  if (auto v = args.value("log-level")) {
    const auto l = log::parse_level(*v);
    if (!l)
      strict_error(args.source("log-level"), *v,
                   "trace, debug, info, warning, error, fatal or off");
    level = *l;
  } else if (auto shared = env.get("LOG_LEVEL"); shared && !shared->empty()) {
    if (auto l = log::parse_level_alias(*shared))
      level = *l;
    else
      warnings.push_back(fmt::format(
          "LOG_LEVEL='{}' is not a level Ballast knows: using info (set BALLAST_LOG_LEVEL to "
          "choose Ballast's level apart from the app's)",
          *shared));
  }
  if (auto v = args.value("log-format")) {
    const auto f = log::parse_format(*v);
    if (!f) strict_error(args.source("log-format"), *v, "text or json");
    format = *f;
  } else if (auto shared = env.get("LOG_FORMAT"); shared && !shared->empty()) {
    if (auto f = log::parse_format_alias(*shared))
      format = *f;
    else
      warnings.push_back(fmt::format(
          "LOG_FORMAT='{}' is not a format Ballast knows: using text (set BALLAST_LOG_FORMAT "
          "to text or json)",
          *shared));
  }
  log::configure(level, format);
  for (const auto& w : warnings) log::warn("{}", w);
  return std::nullopt;
}

}  // namespace ballast
