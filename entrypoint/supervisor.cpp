#include "entrypoint/supervisor.hpp"

#include <fcntl.h>
#include <link.h>
#include <malloc.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>

#include "common/error.hpp"
#include "common/exit_code.hpp"
#include "common/log.hpp"

namespace ballast::entrypoint {
namespace {

// Every signal but the ones the kernel raises for a fault in this very process (blocking
// those would turn a crash into a hang) and the two that cannot be blocked.
sigset_t waited_signals() {
  sigset_t set;
  sigfillset(&set);
  for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGSYS, SIGKILL, SIGSTOP})
    sigdelset(&set, sig);
  return set;
}

[[noreturn]] void child(const SuperviseOptions& o, const std::function<void()>& child_main,
                        const std::function<int()>& child_failed) {
  for (int sig = 1; sig < NSIG; ++sig)
    if (sig != SIGKILL && sig != SIGSTOP) ::signal(sig, SIG_DFL);
  if (o.new_session) {
    ::setsid();
  } else {
    ::setpgid(0, 0);
    if (::isatty(STDIN_FILENO) == 1) {
      // A background group calling tcsetpgrp gets SIGTTOU; ignore it for that one call.
      ::signal(SIGTTOU, SIG_IGN);
      ::tcsetpgrp(STDIN_FILENO, ::getpgrp());
      ::signal(SIGTTOU, SIG_DFL);
    }
  }
  sigset_t empty;
  sigemptyset(&empty);
  ::sigprocmask(SIG_SETMASK, &empty, nullptr);
  int code = exit_code::kSoftware;
  try {
    child_main();
  } catch (...) {
    code = child_failed();
  }
  ::_exit(code);
}

class Supervisor {
 public:
  Supervisor(const SuperviseOptions& o, pid_t child) : o_(o), child_(child) {}

  int run() {
    const sigset_t set = waited_signals();
    for (;;) {
      reap();
      if (child_done_) break;
      siginfo_t info;
      const int sig = ::sigwaitinfo(&set, &info);
      if (sig < 0) continue;  // EINTR
      if (sig != SIGCHLD) forward(sig);
    }
    finish_group(set);
    return exit_code_of(status_);
  }

 private:
  // Reaps every zombie, the main child and adopted orphans alike. Called before every wait, so
  // several children exiting under one coalesced SIGCHLD are all collected.
  void reap() {
    for (;;) {
      int status = 0;
      const pid_t pid = ::waitpid(-1, &status, WNOHANG);
      if (pid <= 0) return;
      if (pid == child_) {
        child_done_ = true;
        status_ = status;
      }
    }
  }

  void forward(int sig) {
    if (const auto it = o_.rewrite.find(sig); it != o_.rewrite.end()) sig = it->second;
    if (sig == 0) return;
    const pid_t target = o_.single_child ? child_ : -child_;
    if (::kill(target, sig) != 0 && errno == ESRCH && !o_.single_child) ::kill(child_, sig);
  }

  bool group_alive() const { return ::kill(-child_, 0) == 0; }

  // The main child is gone: what is left of its group gets SIGTERM, then SIGKILL after the
  // grace, so nothing outlives it unnoticed.
  void finish_group(const sigset_t& set) {
    if (!group_alive()) return;
    ::kill(-child_, SIGTERM);
    ::kill(-child_, SIGCONT);  // a stopped member cannot act on SIGTERM
    timespec deadline{};
    ::clock_gettime(CLOCK_MONOTONIC, &deadline);
    const auto add_ms = o_.grace.count();
    deadline.tv_sec += add_ms / 1000;
    deadline.tv_nsec += (add_ms % 1000) * 1000000;
    if (deadline.tv_nsec >= 1000000000) {
      deadline.tv_sec += 1;
      deadline.tv_nsec -= 1000000000;
    }
    for (;;) {
      reap();
      if (!group_alive()) return;
      timespec now{};
      ::clock_gettime(CLOCK_MONOTONIC, &now);
      timespec left{deadline.tv_sec - now.tv_sec, deadline.tv_nsec - now.tv_nsec};
      if (left.tv_nsec < 0) {
        left.tv_sec -= 1;
        left.tv_nsec += 1000000000;
      }
      if (left.tv_sec < 0) break;
      siginfo_t info;
      const int sig = ::sigtimedwait(&set, &info, &left);
      if (sig > 0 && sig != SIGCHLD) forward(sig);
    }
    ::kill(-child_, SIGKILL);
    // SIGKILL cannot be ignored: collect what dies, for at most a second more.
    for (int i = 0; i < 100 && group_alive(); ++i) {
      timespec ten_ms{0, 10000000};
      siginfo_t info;
      ::sigtimedwait(&set, &info, &ten_ms);
      reap();
    }
  }

  int exit_code_of(int status) const {
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : exit_code::kSignalBase + WTERMSIG(status);
    if (const auto it = o_.remap_exit.find(code); it != o_.remap_exit.end()) code = it->second;
    return code;
  }

  const SuperviseOptions& o_;
  pid_t child_;
  bool child_done_ = false;
  int status_ = 0;
};

}  // namespace

void release_startup_pages() {
  ::malloc_trim(0);
  ::dl_iterate_phdr(
      [](dl_phdr_info* info, size_t, void*) -> int {
        if (info->dlpi_name != nullptr && info->dlpi_name[0] != '\0')
          return 0;  // only the program itself
        const long page = ::sysconf(_SC_PAGESIZE);
        for (int i = 0; i < info->dlpi_phnum; ++i) {
          const ElfW(Phdr)& ph = info->dlpi_phdr[i];
          if (ph.p_type != PT_LOAD || (ph.p_flags & PF_W) != 0) continue;
          // Read-only, file-backed and never written: MADV_DONTNEED only unmaps the pages,
          // a later touch maps them back from the file. Writable segments are left alone
          // (dropping a written private page would revert it to the file's bytes).
          const auto start = (info->dlpi_addr + ph.p_vaddr) & ~static_cast<ElfW(Addr)>(page - 1);
          const auto end = info->dlpi_addr + ph.p_vaddr + ph.p_memsz;
          // The address comes from the ELF program headers: there is no pointer to derive it from.
          // NOLINTNEXTLINE(performance-no-int-to-ptr)
          void* const at = reinterpret_cast<void*>(start);
          ::madvise(at, end - start, MADV_DONTNEED);
        }
        return 1;
      },
      nullptr);
}

bool should_supervise(bool init_flag) { return init_flag || ::getpid() == 1; }

int supervise(const SuperviseOptions& options, const std::function<void()>& child_main,
              const std::function<int()>& child_failed, const std::function<void()>& parent_setup) {
  if (::getpid() != 1 && ::prctl(PR_SET_CHILD_SUBREAPER, 1L, 0L, 0L, 0L) != 0)
    throw errno_error("become a child subreaper (--init)");
  // Block before forking: a signal that arrives between fork and the first wait is queued,
  // not lost (and not acted on by default dispositions).
  const sigset_t set = waited_signals();
  ::sigprocmask(SIG_BLOCK, &set, nullptr);
  ::signal(SIGTTIN, SIG_IGN);
  ::signal(SIGTTOU, SIG_IGN);
  const pid_t pid = ::fork();
  if (pid < 0) throw errno_error("fork the command");
  if (pid == 0) child(options, child_main, child_failed);
  if (!options.new_session) ::setpgid(pid, pid);  // also here: whichever runs first wins the race
  parent_setup();
  return Supervisor(options, pid).run();
}

}  // namespace ballast::entrypoint
