#include "entrypoint/exec.hpp"

#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/error.hpp"
#include "common/exit_code.hpp"

namespace ballast::entrypoint {

void exec_command(const std::vector<std::string>& command, const Env& env) {
  if (command.empty()) throw UsageError("no command given: put it after '--'");
  std::vector<char*> argv;
  argv.reserve(command.size() + 1);
  for (const auto& a : command) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const std::vector<std::string> env_strings = env.to_strings();
  std::vector<char*> envp;
  envp.reserve(env_strings.size() + 1);
  for (const auto& e : env_strings) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);

  // execvpe searches the PATH of *our* environment; the command's PATH must win, so set it.
  const auto path = env.get("PATH");
  ::setenv("PATH",
           path ? path->c_str() : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
           1);
  // The command starts as from a fresh init, whether supervised or exec'd in our place: no
  // blocked signal and none ignored (a runtime or a shell may have left SIGPIPE or SIGINT
  // ignored, or a mask, in what started us), as tini and dumb-init give their child.
  for (int sig = 1; sig < NSIG; ++sig)
    if (sig != SIGKILL && sig != SIGSTOP) ::signal(sig, SIG_DFL);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  ::execvpe(argv[0], argv.data(), envp.data());
  const int err = errno;
  const int code =
      (err == ENOENT || err == ENOTDIR) ? exit_code::kNotFound : exit_code::kCannotExec;
  throw Error(code, fmt::format("unable to exec {}: {}", command[0], std::strerror(err)));
}

}  // namespace ballast::entrypoint
