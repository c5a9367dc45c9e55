#pragma once

#include <chrono>
#include <functional>
#include <map>

namespace ballast::entrypoint {

struct SuperviseOptions {
  bool single_child = false;              // forward signals to the child only, not its group
  bool new_session = false;               // child in its own session (--setsid): no controlling tty
  std::map<int, int> rewrite;             // signal received -> signal forwarded (0: dropped)
  std::map<int, int> remap_exit;          // child's exit code -> ours
  std::chrono::milliseconds grace{5000};  // SIGTERM to leftovers, then SIGKILL after this
  std::chrono::milliseconds stop_delay{0};  // hold SIGTERM/SIGINT this long (--stop-delay)
};

// The longest --stop-delay: it must leave the app time to stop inside Kubernetes' default
// grace period of 30s.
inline constexpr std::chrono::seconds kMaxStopDelay{20};

// Drops this process's resident copies of its own read-only segments (code and constants):
// they come back from the page cache, a page at a time, only where the supervisor loop runs.
// Everything the start-up touched (option parsing, the chown walk, logging) stops counting
// against the supervisor's resident memory for the container's whole life.
void release_startup_pages();

// True when entrypoint must stay as a supervisor: it is PID 1, or --init was given.
bool should_supervise(bool init_flag);

// Forks; the child restores a clean signal mask and default dispositions, gets its own
// process group (or session), takes the terminal's foreground when stdin is a tty, and runs
// `child_main`, which must exec (an exception it throws becomes that exit code via
// `child_failed`). The parent runs `parent_setup` once (chdir, fd closing, dropping its own
// privileges), then waits on signals only: it forwards every catchable one but SIGCHLD to the
// child's group, reaps every zombie (adopted orphans too), and when the child exits sends
// SIGTERM and, after `grace`, SIGKILL to what is left of its group. Returns the child's exit
// code (128+N after signal N), remapped.
int supervise(const SuperviseOptions& options, const std::function<void()>& child_main,
              const std::function<int()>& child_failed, const std::function<void()>& parent_setup);

}  // namespace ballast::entrypoint
