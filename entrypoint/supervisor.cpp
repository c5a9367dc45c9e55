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

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "common/error.hpp"
#include "common/exit_code.hpp"
#include "common/log.hpp"

namespace ballast::entrypoint {
namespace {

constexpr int kFaultSignals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGSYS};

// Every signal but the ones the kernel raises for a fault in this very process (blocking
// those would turn a crash into a hang) and the two that cannot be blocked.
sigset_t waited_signals() {
  sigset_t set;
  sigfillset(&set);
  for (int sig : kFaultSignals) sigdelset(&set, sig);
  sigdelset(&set, SIGKILL);
  sigdelset(&set, SIGSTOP);
  return set;
}

// What the fault-signal handler needs, set before it is installed (plain reads in a handler).
volatile sig_atomic_t g_child = 0;
volatile sig_atomic_t g_single_child = 0;
int g_forward_as[NSIG];  // the signal forwarded for each one received (rewrites); 0: dropped

// SEGV, BUS, ILL, FPE, TRAP and SYS cannot be waited for (see waited_signals), so a handler
// tells them apart: sent by another process with kill(2) or sigqueue(3) (si_code <= 0), they are
// forwarded like any other signal, as dumb-init does; raised by the kernel for a fault of this
// process, the default action runs and the supervisor dies of it, never hangs.
void on_fault_signal(int sig, siginfo_t* info, void*) {
  if (info == nullptr || info->si_code > 0 || g_child == 0) {
    ::signal(sig, SIG_DFL);
    ::raise(sig);  // delivered when the handler returns: the process ends with this signal
    return;
  }
  const int as = g_forward_as[sig];
  if (as == 0) return;
  const pid_t child = g_child;
  if (g_single_child != 0 || ::kill(-child, as) != 0) ::kill(child, as);
}

void forward_fault_signals(const SuperviseOptions& o, pid_t child) {
  for (int sig = 1; sig < NSIG; ++sig) {
    const auto it = o.rewrite.find(sig);
    g_forward_as[sig] = it == o.rewrite.end() ? sig : it->second;
  }
  g_single_child = o.single_child ? 1 : 0;
  g_child = child;
  struct sigaction sa {};
  sa.sa_sigaction = on_fault_signal;
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset(&sa.sa_mask);
  for (int sig : kFaultSignals) ::sigaction(sig, &sa, nullptr);
}

// CLOCK_MONOTONIC `ms` from now.
timespec deadline_after(std::chrono::milliseconds ms) {
  timespec t{};
  ::clock_gettime(CLOCK_MONOTONIC, &t);
  t.tv_sec += ms.count() / 1000;
  t.tv_nsec += (ms.count() % 1000) * 1000000;
  if (t.tv_nsec >= 1000000000) {
    t.tv_sec += 1;
    t.tv_nsec -= 1000000000;
  }
  return t;
}

// Sets `left` to the time until `deadline`; false once it has passed.
bool time_left(const timespec& deadline, timespec& left) {
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  left = {deadline.tv_sec - now.tv_sec, deadline.tv_nsec - now.tv_nsec};
  if (left.tv_nsec < 0) {
    left.tv_sec -= 1;
    left.tv_nsec += 1000000000;
  }
  return left.tv_sec >= 0;
}

// "TERM" for SIGTERM, for the debug log.
const char* signal_name(int sig) {
  const char* name = ::sigabbrev_np(sig);
  return name != nullptr ? name : "?";
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
      int sig = 0;
      if (held_ != 0) {
        timespec left{};
        sig = time_left(held_until_, left) ? ::sigtimedwait(&set, &info, &left) : -1;
        if (sig < 0 && (errno == EAGAIN || !time_left(held_until_, left))) release_held();
      } else {
        sig = ::sigwaitinfo(&set, &info);
      }
      if (sig <= 0 || sig == SIGCHLD) continue;  // EINTR, the delay's end, or a child
      if (!hold(sig)) forward(sig);
    }
    log::debug("the command (pid {}) ended: {}", child_,
               WIFEXITED(status_) ? fmt::format("exit {}", WEXITSTATUS(status_))
                                  : fmt::format("killed by SIG{}", signal_name(WTERMSIG(status_))));
    // In --single-child mode the rest of the group is the command's business, as with tini and
    // dumb-init -c: only the default group mode ends what the command left behind.
    if (!o_.single_child) finish_group(set);
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

  // --stop-delay: the first SIGTERM or SIGINT is held, so the load balancers that are
  // removing this replica (Kubernetes starts that at the same moment) stop sending requests
  // before the app begins to shut down. A second one forwards at once. True when held.
  bool hold(int sig) {
    if ((sig != SIGTERM && sig != SIGINT) || o_.stop_delay.count() <= 0) return false;
    if (held_ == 0 && !delay_used_) {
      held_ = sig;
      delay_used_ = true;
      held_until_ = deadline_after(o_.stop_delay);
      log::info(
          "SIG{} received: forwarding it in {}ms (--stop-delay, so traffic drains first); "
          "send it again to forward at once",
          signal_name(sig), o_.stop_delay.count());
      return true;
    }
    if (held_ == 0) return false;
    log::info("SIG{} received again: forwarding now", signal_name(sig));
    const int first = held_;
    release_held();
    return sig == first;  // the same signal twice reaches the app once
  }

  void release_held() {
    const int sig = held_;
    held_ = 0;
    if (sig != 0) forward(sig);
  }

  void forward(int received) {
    int sig = received;
    if (const auto it = o_.rewrite.find(sig); it != o_.rewrite.end()) sig = it->second;
    if (sig == 0) {
      log::debug("SIG{} received: dropped (--rewrite)", signal_name(received));
      return;
    }
    const pid_t target = o_.single_child ? child_ : -child_;
    if (::kill(target, sig) != 0 && errno == ESRCH && !o_.single_child) ::kill(child_, sig);
    log::debug("SIG{} received: forwarded as SIG{} to {} {}", signal_name(received),
               signal_name(sig), o_.single_child ? "pid" : "group", child_);
    // Job control, as dumb-init does: the command stops, then so does the supervisor, so the
    // shell that sent Ctrl-Z sees the job stopped; SIGCONT to the supervisor is forwarded on.
    // PID 1 cannot be stopped and does not try.
    if ((received == SIGTSTP || received == SIGTTIN || received == SIGTTOU) && ::getpid() != 1)
      ::kill(::getpid(), SIGSTOP);
  }

  bool group_alive() const { return ::kill(-child_, 0) == 0; }

  // The main child is gone: what is left of its group gets SIGTERM, then SIGKILL after the
  // grace, so nothing outlives it unnoticed.
  void finish_group(const sigset_t& set) {
    if (!group_alive()) return;
    ::kill(-child_, SIGTERM);
    ::kill(-child_, SIGCONT);  // a stopped member cannot act on SIGTERM
    const timespec deadline = deadline_after(o_.grace);
    for (;;) {
      reap();
      if (!group_alive()) return;
      timespec left{};
      if (!time_left(deadline, left)) break;
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
  int held_ = 0;             // the stop signal held by --stop-delay, 0 when none
  bool delay_used_ = false;  // the delay applies to the first stop signal only
  timespec held_until_{};
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
  forward_fault_signals(options, pid);
  log::debug("supervising the command as pid {}", pid);
  parent_setup();
  return Supervisor(options, pid).run();
}

}  // namespace ballast::entrypoint
