#include "entrypoint/signals.hpp"

#include <fmt/format.h>
#include <signal.h>

#include <array>
#include <charconv>
#include <optional>

#include "common/error.hpp"
#include "common/parse.hpp"
#include "common/text.hpp"

namespace ballast::entrypoint {
namespace {

struct Named {
  std::string_view name;
  int number;
};

constexpr std::array<Named, 31> kSignals{{
    {"HUP", SIGHUP},   {"INT", SIGINT},       {"QUIT", SIGQUIT}, {"ILL", SIGILL},
    {"TRAP", SIGTRAP}, {"ABRT", SIGABRT},     {"BUS", SIGBUS},   {"FPE", SIGFPE},
    {"KILL", SIGKILL}, {"USR1", SIGUSR1},     {"SEGV", SIGSEGV}, {"USR2", SIGUSR2},
    {"PIPE", SIGPIPE}, {"ALRM", SIGALRM},     {"TERM", SIGTERM}, {"STKFLT", SIGSTKFLT},
    {"CHLD", SIGCHLD}, {"CONT", SIGCONT},     {"STOP", SIGSTOP}, {"TSTP", SIGTSTP},
    {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU},     {"URG", SIGURG},   {"XCPU", SIGXCPU},
    {"XFSZ", SIGXFSZ}, {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF}, {"WINCH", SIGWINCH},
    {"IO", SIGIO},     {"PWR", SIGPWR},       {"SYS", SIGSYS},
}};

std::pair<std::string_view, std::string_view> split_pair(std::string_view spec,
                                                         std::string_view source,
                                                         std::string_view example) {
  const auto pair = split_once(spec, ':');
  if (!pair || pair->first.empty() || pair->second.empty())
    throw UsageError(
        fmt::format("invalid {} '{}': use FROM:TO, e.g. {}", source, shown(spec), example));
  return *pair;
}

}  // namespace

int parse_signal(std::string_view text, std::string_view source) {
  int number = 0;
  if (const auto n = parse_uint(text, 0, 1000)) {
    // 32 and 33 belong to the C library (its threads); real-time signals move with it, so
    // they are spelled by name: RTMIN+N.
    number = *n;
    if (number < 1 || number > 31)
      throw UsageError(fmt::format(
          "invalid {} signal '{}': numbers are 1-31; name a real-time signal RTMIN+N (RTMIN is "
          "{} here, RTMAX {})",
          source, shown(text), SIGRTMIN, SIGRTMAX));
  } else {
    std::string name = ascii_upper(text);
    if (name.starts_with("SIG")) name.erase(0, 3);
    number = 0;
    for (const auto& s : kSignals)
      if (s.name == name) number = s.number;
    const auto offset = [&](std::string_view prefix) -> std::optional<int> {
      if (!name.starts_with(prefix)) return std::nullopt;
      const std::string_view rest = std::string_view(name).substr(prefix.size());
      if (rest.empty()) return 0;
      const auto by = parse_uint(rest.substr(1), 0, 64);
      if ((rest[0] != '+' && rest[0] != '-') || !by) return std::nullopt;
      return rest[0] == '+' ? static_cast<int>(*by) : -static_cast<int>(*by);
    };
    if (const auto plus = offset("RTMIN"); plus && *plus >= 0) number = SIGRTMIN + *plus;
    if (const auto minus = offset("RTMAX"); minus && *minus <= 0) number = SIGRTMAX + *minus;
    if (number == 0 || number > SIGRTMAX || number < 1)
      throw UsageError(
          fmt::format("invalid {} signal '{}': use a name such as TERM, RTMIN+2, or a number 1-31",
                      source, shown(text)));
  }
  if (number == SIGKILL || number == SIGSTOP)
    throw UsageError(
        fmt::format("invalid {} signal '{}': it cannot be caught, so it cannot be rewritten",
                    source, shown(text)));
  return number;
}

std::map<int, int> parse_rewrites(const std::vector<std::string>& specs, std::string_view source) {
  std::map<int, int> out;
  for (const auto& spec : specs) {
    const auto [from, to] = split_pair(spec, source, "TERM:QUIT");
    out[parse_signal(from, source)] = to == "0" ? 0 : parse_signal(to, source);
  }
  return out;
}

std::map<int, int> parse_exit_remaps(const std::vector<std::string>& specs,
                                     std::string_view source) {
  std::map<int, int> out;
  for (const auto& spec : specs) {
    const auto [from, to] = split_pair(spec, source, "143:0");
    const auto a = parse_uint(from, 0, 255);
    const auto b = parse_uint(to, 0, 255);
    if (!a || !b)
      throw UsageError(fmt::format("invalid {} '{}': use two exit codes 0-255, e.g. 143:0", source,
                                   shown(spec)));
    out[*a] = *b;
  }
  return out;
}

}  // namespace ballast::entrypoint
