#include "common/cli.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "common/error.hpp"
#include "common/text.hpp"

namespace ballast::cli {
namespace {

constexpr std::array<Option, 5> kCommon{{
    {"help", 'h', "", "", "show this help and exit"},
    {"version", 'V', "", "", "show the version and exit"},
    {"log-level", 0, "LEVEL", "BALLAST_LOG_LEVEL",
     "trace, debug, info (default), warning, error, off (else the app's LOG_LEVEL, read "
     "tolerantly)"},
    {"log-format", 0, "FORMAT", "BALLAST_LOG_FORMAT",
     "text (default) or json: one JSON object per line (else LOG_FORMAT)"},
    {"mode", 0, "MODE", "",
     "prod, staging, dev or test (else BALLAST_MODE, MODE, APP_ENV, RAILS_ENV, RACK_ENV, "
     "NODE_ENV; default dev)"},
}};

const Option* find_long(std::span<const Option> options, std::string_view name) {
  for (const auto& o : options)
    if (o.name == name) return &o;
  return nullptr;
}

const Option* find_short(std::span<const Option> options, char c) {
  for (const auto& o : options)
    if (o.short_name != 0 && o.short_name == c) return &o;
  return nullptr;
}

std::vector<std::string> split(std::string_view text, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const auto pos = text.find(sep, start);
    const auto part = text.substr(start, pos == std::string_view::npos ? text.npos : pos - start);
    if (!part.empty()) out.emplace_back(part);
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return out;
}

}  // namespace

bool Args::flag(std::string_view name) const {
  const auto it = values_.find(name);
  return it != values_.end() && !it->second.empty() && it->second.back() == "1";
}

std::optional<std::string> Args::value(std::string_view name) const {
  const auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

const std::vector<std::string>& Args::values(std::string_view name) const {
  static const std::vector<std::string> kNone;
  const auto it = values_.find(name);
  return it == values_.end() ? kNone : it->second;
}

std::string Args::source(std::string_view name) const {
  const auto it = sources_.find(name);
  return it == sources_.end() ? "--" + std::string(name) : it->second;
}

void Args::add(std::string_view name, std::string value, std::string source) {
  auto& list = values_[std::string(name)];
  list.push_back(std::move(value));
  sources_[std::string(name)] = std::move(source);
}

std::optional<bool> parse_bool(std::string_view text) {
  const std::string t = ascii_lower(text);
  if (t == "1" || t == "true" || t == "yes" || t == "on") return true;
  if (t == "0" || t == "false" || t == "no" || t == "off" || t.empty()) return false;
  return std::nullopt;
}

Args parse(std::span<const Option> options, std::span<char* const> argv, const Env& env,
           Positionals positionals) {
  Args args;
  bool options_done = false;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string_view word = argv[i];
    if (options_done || word.size() < 2 || word[0] != '-') {
      args.positional.emplace_back(word);
      if (positionals == Positionals::kStopAtFirst) options_done = true;
      continue;
    }
    if (word == "--") {
      options_done = true;
      continue;
    }
    const Option* opt = nullptr;
    std::optional<std::string> inline_value;
    std::string shown;
    if (word.starts_with("--")) {
      auto name = word.substr(2);
      if (const auto eq = name.find('='); eq != std::string_view::npos) {
        inline_value = std::string(name.substr(eq + 1));
        name = name.substr(0, eq);
      }
      opt = find_long(options, name);
      shown = "--" + std::string(name);
    } else if (word.size() == 2) {
      opt = find_short(options, word[1]);
      shown = std::string(word);
    }
    if (opt == nullptr) throw UsageError(fmt::format("unknown option '{}' (see --help)", word));
    const std::string source = "--" + std::string(opt->name);
    if (opt->value_name.empty()) {
      if (inline_value) throw UsageError(fmt::format("{} takes no value", shown));
      args.add(opt->name, "1", source);
      continue;
    }
    std::string value;
    if (inline_value) {
      value = *inline_value;
    } else if (i + 1 < argv.size()) {
      value = argv[++i];
    } else {
      throw UsageError(fmt::format("{} needs a value ({})", shown, opt->value_name));
    }
    if (!opt->repeatable && args.has(opt->name))
      throw UsageError(fmt::format("{} given twice; give it once", shown));
    args.add(opt->name, std::move(value), source);
  }

  // Environment forms fill in what the command line did not say.
  for (const auto& opt : options) {
    if (opt.env.empty() || args.has(opt.name)) continue;
    const auto value = env.get(opt.env);
    if (!value) continue;
    const std::string source(opt.env);
    if (opt.value_name.empty()) {
      const auto b = parse_bool(*value);
      if (!b) throw ConfigError(fmt::format("invalid {}='{}': use true or false", opt.env, *value));
      if (*b) args.add(opt.name, "1", source);
    } else if (value->empty()) {
      continue;  // set-but-empty means unset, as a shell's ${X:-default} would treat it
    } else if (opt.repeatable && opt.env_separator != 0) {
      for (auto& part : split(*value, opt.env_separator))
        args.add(opt.name, std::move(part), source);
    } else {
      args.add(opt.name, *value, source);
    }
  }
  return args;
}

std::span<const Option> common_options() { return kCommon; }

std::string help_text(std::string_view synopsis, std::string_view summary,
                      std::span<const Option> options, std::string_view footer) {
  std::string out = fmt::format("usage: {}\n\n{}\n\noptions:\n", synopsis, summary);
  for (const auto& o : options) {
    std::string left = o.short_name != 0 ? fmt::format("  -{}, --{}", o.short_name, o.name)
                                         : fmt::format("      --{}", o.name);
    if (!o.value_name.empty()) left += " " + std::string(o.value_name);
    std::string right(o.help);
    if (o.repeatable) right += " (repeatable)";
    if (!o.env.empty()) right += fmt::format(" [env {}]", o.env);
    if (left.size() < 30)
      left.resize(30, ' ');
    else
      left += "\n" + std::string(30, ' ');
    out += left + right + "\n";
  }
  if (!footer.empty()) out += fmt::format("\n{}\n", footer);
  return out;
}

}  // namespace ballast::cli
