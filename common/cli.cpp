#include "common/cli.hpp"

#include "common/parse.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>

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
  if (name.size() < 2) return nullptr;
  for (const auto& o : options)
    if (contains_word(o.also, name)) return &o;
  return nullptr;
}

const Option* find_short(std::span<const Option> options, char c) {
  for (const auto& o : options)
    if (o.short_name != 0 && o.short_name == c) return &o;
  const char name[2] = {c, 0};
  for (const auto& o : options)
    if (contains_word(o.also, std::string_view(name, 1))) return &o;
  return nullptr;
}

std::string unknown_option(std::span<const Option> options, std::string_view word) {
  std::string_view name = word;
  while (name.starts_with('-')) name.remove_prefix(1);
  name = name.substr(0, name.find('='));
  std::vector<std::string_view> names;
  for (const auto& o : options)
    if (o.refusal.empty()) names.push_back(o.name);
  const std::string near = closest(name, names);
  return fmt::format("unknown option '{}' ({}see --help)", shown(word),
                     near.empty() ? "" : fmt::format("did you mean --{}? ", near));
}

}  // namespace

bool Args::flag(std::string_view name) const {
  check(name);
  const auto it = values_.find(name);
  return it != values_.end() && !it->second.empty() && it->second.back() == "1";
}

std::optional<std::string> Args::value(std::string_view name) const {
  check(name);
  const auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

const std::vector<std::string>& Args::values(std::string_view name) const {
  check(name);
  static const std::vector<std::string> kNone;
  const auto it = values_.find(name);
  return it == values_.end() ? kNone : it->second;
}

std::string Args::source(std::string_view name) const {
  check(name);
  const auto it = sources_.find(name);
  return it == sources_.end() ? "--" + std::string(name) : it->second;
}

void Args::declare(std::string_view name) { declared_.emplace_back(name); }

void Args::check(std::string_view name) const {
  if (!declared_.empty() && std::find(declared_.begin(), declared_.end(), name) == declared_.end())
    throw std::logic_error(fmt::format("option '{}' looked up but never declared", name));
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
  for (const auto& o : options) args.declare(o.name);
  const auto take = [&](const Option& opt, std::string_view shown, std::optional<std::string> value,
                        std::size_t& i) {
    if (!opt.refusal.empty()) throw UsageError(fmt::format("{}: {}", shown, opt.refusal));
    const std::string source = "--" + std::string(opt.name);
    if (opt.value_name.empty()) {
      if (value) throw UsageError(fmt::format("{} takes no value", shown));
      args.add(opt.name, "1", source);
      return;
    }
    if (!value) {
      if (i + 1 >= argv.size())
        throw UsageError(fmt::format("{} needs a value ({})", shown, opt.value_name));
      value = argv[++i];
    }
    if (!opt.repeatable && args.has(opt.name))
      throw UsageError(fmt::format("{} given twice; give it once", shown));
    args.add(opt.name, std::move(*value), source);
  };
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
    // --name, --name=value, and Go's -name / -name=value for names of two letters or more.
    const std::string_view body = word.substr(word.starts_with("--") ? 2 : 1);
    const auto eq = body.find('=');
    const std::string_view name = body.substr(0, eq);
    const Option* opt = nullptr;
    if (word.starts_with("--") || name.size() > 1) opt = find_long(options, name);
    if (opt != nullptr) {
      std::optional<std::string> inline_value;
      if (eq != std::string_view::npos) inline_value = std::string(body.substr(eq + 1));
      take(*opt, "--" + std::string(name), std::move(inline_value), i);
      continue;
    }
    if (word.starts_with("--")) throw UsageError(unknown_option(options, word));
    // Short options, bundled as getopt bundles them: "-fsS", "-m5", "-u app".
    for (std::size_t k = 1; k < word.size(); ++k) {
      const Option* s = find_short(options, word[k]);
      if (s == nullptr)
        throw UsageError(k == 1 && word.size() == 2
                             ? unknown_option(options, word)
                             : fmt::format("unknown option '-{}' in '{}' (see --help)",
                                           shown(word.substr(k, 1)), shown(word)));
      const std::string shown = fmt::format("-{}", word[k]);
      if (s->value_name.empty() || k + 1 == word.size()) {
        take(*s, shown, std::nullopt, i);
        continue;
      }
      take(*s, shown, std::string(word.substr(k + 1)), i);
      break;
    }
  }

  // Environment forms fill in what the command line did not say.
  for (const auto& opt : options) {
    if (opt.env.empty() || args.has(opt.name)) continue;
    const auto value = env.get(opt.env);
    if (!value) continue;
    const std::string source(opt.env);
    if (opt.value_name.empty()) {
      const auto b = parse_bool(*value);
      if (!b)
        throw ConfigError(
            fmt::format("invalid {}='{}': use true or false", opt.env, shown(*value)));
      if (*b) args.add(opt.name, "1", source);
    } else if (value->empty()) {
      continue;  // set-but-empty means unset, as a shell's ${X:-default} would treat it
    } else if (opt.repeatable && opt.env_separator != 0) {
      for (const auto part : split(*value, opt.env_separator, true))
        args.add(opt.name, std::string(part), source);
    } else {
      args.add(opt.name, *value, source);
    }
  }
  return args;
}

std::span<const Option> common_options() { return kCommon; }

std::string closest(std::string_view word, std::span<const std::string_view> candidates) {
  // Levenshtein distance with one row; words here are short.
  const auto distance = [](std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
      std::size_t diagonal = row[0];
      row[0] = i;
      for (std::size_t j = 1; j <= b.size(); ++j) {
        const std::size_t up = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
        diagonal = up;
      }
    }
    return row[b.size()];
  };
  std::string best;
  std::size_t best_distance = 3;
  for (const auto c : candidates) {
    const std::size_t d = distance(word, c);
    if (d < best_distance && d * 2 < std::max(word.size(), c.size())) {
      best = std::string(c);
      best_distance = d;
    }
  }
  return best;
}

std::string help_text(std::string_view synopsis, std::string_view summary,
                      std::span<const Option> options, std::string_view footer) {
  std::string out = fmt::format("usage: {}\n\n{}\n\noptions:\n", synopsis, summary);
  for (const auto& o : options) {
    if (!o.refusal.empty() || o.help.empty()) continue;  // habits of other tools: not listed
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
