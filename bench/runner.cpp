// bench_runner: runs commands side by side, interleaved, and reports medians.
//
//   bench_runner [--runs N] [--warmup N] [--title TEXT] SPEC
//
// SPEC has one command per line: NAME <TAB> PREPARE <TAB> COMMAND. COMMAND is split on spaces
// and run with fork + execve (no shell, environment PATH only); PREPARE, when not empty, runs
// through /bin/sh before every timed run and is not timed. Runs are interleaved (A B C A B C
// ..., in a fresh random order each round) so a change in machine load hits every command alike.
// For each command it reports the median and p90 wall time, the median minor page faults and the
// median peak RSS of the child (from wait4's rusage), and each median as a ratio to the first
// line's. The commands' stdout goes to /dev/null; their stderr stays. A fourth field, OK_EXIT,
// names the exit status that counts as success when it is not 0 (a linter exits 1 when it
// finds what it should).
//
// Written by hand because hyperfine reports neither page faults nor peak RSS, and /usr/bin/time
// has 10 ms resolution.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Command {
  std::string name;
  std::string prepare;
  std::vector<std::string> argv;
  std::vector<double> wall_ms, faults, rss_kb;
  int failures = 0;
  int ok_exit = 0;
};

std::vector<std::string> split_spaces(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  return v[i];
}

bool run_once(Command& c, bool record) {
  if (!c.prepare.empty() && std::system(c.prepare.c_str()) != 0) {
    std::fprintf(stderr, "bench_runner: prepare failed for %s: %s\n", c.name.c_str(),
                 c.prepare.c_str());
    return false;
  }
  std::vector<char*> argv;
  for (auto& a : c.argv) argv.push_back(a.data());
  argv.push_back(nullptr);
  static char path_env[] = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  char* envp[] = {path_env, nullptr};
  // The commands' own output would land in the report (stdout): it goes to /dev/null, the
  // same for every command.
  static const int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    if (devnull >= 0) dup2(devnull, STDOUT_FILENO);
    execve(argv[0], argv.data(), envp);
    _exit(127);
  }
  int status = 0;
  rusage ru{};
  wait4(pid, &status, 0, &ru);
  const auto end = std::chrono::steady_clock::now();
  const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == c.ok_exit;
  if (!ok) ++c.failures;
  if (record) {
    c.wall_ms.push_back(std::chrono::duration<double, std::milli>(end - start).count());
    c.faults.push_back(static_cast<double>(ru.ru_minflt));
    c.rss_kb.push_back(static_cast<double>(ru.ru_maxrss));
  }
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 300;
  int warmup = 10;
  std::string title = "benchmark";
  std::string spec;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--runs" && i + 1 < argc)
      runs = std::atoi(argv[++i]);
    else if (a == "--warmup" && i + 1 < argc)
      warmup = std::atoi(argv[++i]);
    else if (a == "--title" && i + 1 < argc)
      title = argv[++i];
    else
      spec = a;
  }
  std::ifstream in(spec);
  if (spec.empty() || !in) {
    std::fprintf(stderr, "usage: bench_runner [--runs N] [--warmup N] [--title TEXT] SPEC\n");
    return 64;
  }
  std::vector<Command> cmds;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const auto t1 = line.find('\t');
    const auto t2 = line.find('\t', t1 + 1);
    if (t1 == std::string::npos || t2 == std::string::npos) {
      std::fprintf(stderr, "bench_runner: bad spec line (want NAME<TAB>PREPARE<TAB>COMMAND): %s\n",
                   line.c_str());
      return 65;
    }
    const auto t3 = line.find('\t', t2 + 1);
    cmds.push_back(Command{line.substr(0, t1),
                           line.substr(t1 + 1, t2 - t1 - 1),
                           split_spaces(line.substr(
                               t2 + 1, t3 == std::string::npos ? std::string::npos : t3 - t2 - 1)),
                           {},
                           {},
                           {},
                           0,
                           t3 == std::string::npos ? 0 : std::atoi(line.c_str() + t3 + 1)});
  }
  for (int i = 0; i < warmup; ++i)
    for (auto& c : cmds) run_once(c, false);
  for (auto& c : cmds) c.failures = 0;
  // Each round runs every command once, in a shuffled order: a command must not always pay for
  // (or profit from) what the one before it left behind, such as a server still reaping.
  std::vector<std::size_t> order(cmds.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::mt19937 rng(20261122);
  for (int i = 0; i < runs; ++i) {
    std::shuffle(order.begin(), order.end(), rng);
    for (std::size_t k : order) run_once(cmds[k], true);
  }

  std::printf("### %s\n\n%d runs each, interleaved in a shuffled order, after %d warm-up runs.\n\n",
              title.c_str(), runs, warmup);
  std::printf(
      "| command | median wall | p90 wall | median minor faults | median peak RSS | wall vs first "
      "| faults vs first | failed runs |\n");
  std::printf("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
  const double w0 = median(cmds[0].wall_ms), f0 = median(cmds[0].faults);
  for (auto& c : cmds) {
    const double w = median(c.wall_ms), f = median(c.faults);
    std::printf("| %s | %.2f ms | %.2f ms | %.0f | %.0f KiB | %.2fx | %.2fx | %d |\n",
                c.name.c_str(), w, percentile(c.wall_ms, 0.9), f, median(c.rss_kb),
                w0 > 0 ? w / w0 : 0, f0 > 0 ? f / f0 : 0, c.failures);
  }
  std::printf("\n");
  for (auto& c : cmds) {
    std::string cmd;
    for (auto& a : c.argv) cmd += (cmd.empty() ? "" : " ") + a;
    std::printf("- `%s`: `%s`%s%s%s\n", c.name.c_str(), cmd.c_str(),
                c.prepare.empty() ? "" : " (before each run: `", c.prepare.c_str(),
                c.prepare.empty() ? "" : "`)");
  }
  return 0;
}
