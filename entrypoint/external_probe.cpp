#include "entrypoint/external_probe.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <vector>

#include "common/env.hpp"
#include "common/fd.hpp"
#include "common/parse.hpp"

extern char** environ;

namespace ballast::entrypoint {
namespace {

bool executable(const std::string& path) {
  return !path.empty() && ::access(path.c_str(), X_OK) == 0;
}

// posix_spawn rather than Boost.Process: Boost.Process would bring Boost.Filesystem into a
// binary that has 40 KiB of budget left, for one spawn with one pipe.
class ExternalProbe final : public probe::Probe {
 public:
  ExternalProbe(std::string healthcheck, std::string target)
      : healthcheck_(std::move(healthcheck)), target_(std::move(target)) {}

  probe::Result run(const probe::Settings& settings) override {
    const auto start = std::chrono::steady_clock::now();
    probe::Result r{false, target_, "", {}};
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
      r.detail = fmt::format("cannot run {}: {}", healthcheck_, std::strerror(errno));
      return r;
    }
    Fd read_end(fds[0]);
    Fd write_end(fds[1]);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, write_end.get(), STDOUT_FILENO);
    const std::string timeout = fmt::format("{}ms", settings.timeout.count());
    std::vector<std::string> args{healthcheck_, "--log-level", "off",
                                  "--json",     "--timeout",   timeout};
    // The target travels in the environment, not on the command line: a DATABASE_URL's
    // password in argv would be readable by every process of the container (/proc/PID/cmdline
    // is world-readable; /proc/PID/environ is not).
    std::vector<std::string> env{"HEALTHCHECK_URL=" + target_};
    for (char** e = environ; *e != nullptr; ++e)
      if (!std::string_view(*e).starts_with("HEALTHCHECK_URL=")) env.emplace_back(*e);
    const auto pointers = [](std::vector<std::string>& strings) {
      std::vector<char*> out;
      out.reserve(strings.size() + 1);
      for (auto& s : strings) out.push_back(s.data());
      out.push_back(nullptr);
      return out;
    };
    auto argv = pointers(args);
    auto envp = pointers(env);
    pid_t pid = 0;
    const int rc =
        ::posix_spawn(&pid, healthcheck_.c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    write_end.reset();
    if (rc != 0) {
      r.detail = fmt::format("cannot run {}: {}", healthcheck_, std::strerror(rc));
      return r;
    }
    std::string out;
    char buf[512];
    for (ssize_t n; (n = ::read(read_end.get(), buf, sizeof buf)) != 0;) {
      if (n < 0) {
        if (errno == EINTR) continue;
        break;
      }
      out.append(buf, static_cast<std::size_t>(n));
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    r.healthy = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    // {"healthy":false,"targets":[{"detail":"connect refused",...}]}: the machine-readable
    // answer, not the human line.
    const auto doc = nlohmann::json::parse(out, nullptr, false);
    if (doc.is_object() && doc.contains("targets") && doc["targets"].is_array() &&
        !doc["targets"].empty() && doc["targets"][0].value("detail", "") != "")
      r.detail = doc["targets"][0].value("detail", "");
    else
      r.detail = fmt::format("healthcheck exited {} without an answer",
                             WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    r.elapsed = std::chrono::steady_clock::now() - start;
    return r;
  }

 private:
  std::string healthcheck_;
  std::string target_;
};

}  // namespace

std::string find_healthcheck() {
  char self[4096];
  const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  if (n > 0) {
    std::string dir(self, static_cast<std::size_t>(n));
    dir.resize(dir.rfind('/') + 1);
    if (executable(dir + "healthcheck")) return dir + "healthcheck";
  }
  const char* path = std::getenv("PATH");
  for (const auto dir : split(path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin", ':', true)) {
    std::string candidate = std::string(dir) + "/healthcheck";
    if (executable(candidate)) return candidate;
  }
  return "";
}

std::unique_ptr<probe::Probe> make_external_probe(std::string healthcheck, std::string target) {
  return std::make_unique<ExternalProbe>(std::move(healthcheck), std::move(target));
}

}  // namespace ballast::entrypoint
