#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/env.hpp"

// A small declarative command-line parser with environment-variable forms.
// Written here rather than taken from a library because every option needs an environment
// twin (ENTRYPOINT_USER, HEALTHCHECK_TIMEOUT, ...) with one precedence and one error grammar,
// and getopt_long knows neither; CLI11 would double entrypoint's size for the same table.
namespace ballast::cli {

struct Option {
  std::string_view name;        // long name, without "--"
  char short_name = 0;          // 0 when there is none
  std::string_view value_name;  // "" for a flag; otherwise shown in help ("--user SPEC")
  std::string_view env;         // environment form, "" when there is none
  std::string_view help;        // one line
  bool repeatable = false;      // may be given several times; values accumulate
  char env_separator = 0;       // for repeatable options: split the env value on this
  // Other spellings that select this option, space-separated: long names of the tools we
  // replace ("max-time"), and single characters as short aliases ("m"). Long names may also
  // be written with one dash ("-path", Go's flag style).
  std::string_view also = {};
  // Non-empty: a spelling we recognise but do not support; using it is a usage error with
  // this text, which says what to write instead.
  std::string_view refusal = {};
};

// Where parsing stops treating words as options.
enum class Positionals {
  kInterleaved,  // options anywhere ("migrate status --json"); "--" ends options
  kStopAtFirst,  // the first non-option and everything after is the command ("entrypoint -- cmd")
};

// The result of parsing: option values by long name, and the positional words. Looking up a
// name no option declares is a programming error (std::logic_error), never a silent "unset".
class Args {
 public:
  // True when the flag was given (or its environment form is true).
  bool flag(std::string_view name) const;
  // The last value given for an option, or nullopt.
  std::optional<std::string> value(std::string_view name) const;
  // Every value given for a repeatable option, in order (empty when none).
  const std::vector<std::string>& values(std::string_view name) const;
  // "--name" when the value came from the command line, the variable's name when from the
  // environment: for error messages.
  std::string source(std::string_view name) const;
  bool has(std::string_view name) const { return values_.count(name) != 0; }

  std::vector<std::string> positional;

  void add(std::string_view name, std::string value, std::string source);
  void declare(std::string_view name);

 private:
  void check(std::string_view name) const;
  std::vector<std::string> declared_;
  std::map<std::string, std::vector<std::string>, std::less<>> values_;
  std::map<std::string, std::string, std::less<>> sources_;
};

// Parses argv[1..] against `options`; command-line values win over environment forms.
// Short options bundle as getopt's do ("-fsS", "-m5"); long ones take "--name value" or
// "--name=value", and also one dash ("-path dir") when the name is longer than one letter.
// Throws UsageError ("unknown option '--x' (did you mean --y?)", "--user needs a value") for
// bad arguments and ConfigError for a bad environment value (a flag variable that is not a
// boolean).
Args parse(std::span<const Option> options, std::span<char* const> argv, const Env& env,
           Positionals positionals);

// The options every binary has: --help, --version, --log-level, --log-format, --mode.
std::span<const Option> common_options();

// The text of --help: synopsis, summary, then one line per option with its environment form.
std::string help_text(std::string_view synopsis, std::string_view summary,
                      std::span<const Option> options, std::string_view footer);

// Parses a boolean word (1/0, true/false, yes/no, on/off); nullopt for anything else.
std::optional<bool> parse_bool(std::string_view text);

// The candidate closest to `word` by edit distance, when close enough to be a typo of it
// (at most 2 edits, and fewer than half the word's letters); "" otherwise.
std::string closest(std::string_view word, std::span<const std::string_view> candidates);

}  // namespace ballast::cli
