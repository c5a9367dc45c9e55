#include "entrypoint/signals.hpp"

#include <fmt/format.h>
#include <signal.h>

#include <array>
#include <charconv>

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
    number = *n;
    if (number < 1 || number >= NSIG)
      throw UsageError(fmt::format("invalid {} signal '{}': out of range", source, shown(text)));
  } else {
    std::string name = ascii_upper(text);
    if (name.starts_with("SIG")) name.erase(0, 3);
    number = 0;
    for (const auto& s : kSignals)
      if (s.name == name) number = s.number;
    if (number == 0)
      throw UsageError(fmt::format("invalid {} signal '{}': use a name such as TERM or a number",
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
