#include "common/program.hpp"

#include <fmt/format.h>

#include <cstdio>

#include "common/log.hpp"

namespace ballast {

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
                                         const cli::Args& args) {
  if (args.flag("help")) {
    const std::string text = cli::help_text(info.synopsis, info.summary, options, info.footer);
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
  }
  if (args.flag("version")) {
    std::puts(version_line(info.name).c_str());
    return 0;
  }
  log::Level level = log::Level::kInfo;
  log::Format format = log::Format::kText;
  if (auto v = args.value("log-level")) level = log::parse_level(*v, args.source("log-level"));
  if (auto v = args.value("log-format")) format = log::parse_format(*v, args.source("log-format"));
  log::configure(level, format);
  return std::nullopt;
}

}  // namespace ballast
