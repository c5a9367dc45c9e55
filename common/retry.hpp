#pragma once

#include <algorithm>
#include <chrono>
#include <thread>

namespace ballast {

// Calls attempt(deadline) until it returns true or `timeout` has passed since the first call.
// Between tries it sleeps `interval`, doubling up to `max_interval`, never past the deadline,
// and calls report(elapsed) at most once a second. Returns whether an attempt succeeded. The
// one retry loop of Ballast: healthcheck --wait, entrypoint --wait, migrate wait, migrate's
// connection and lock waits.
template <typename Attempt, typename Report>
bool retry_with_backoff(std::chrono::milliseconds timeout, std::chrono::milliseconds interval,
                        Attempt attempt, Report report,
                        std::chrono::milliseconds max_interval = std::chrono::milliseconds(5000)) {
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  const auto give_up = start + timeout;
  auto last_report = start - std::chrono::seconds(2);
  for (;;) {
    if (attempt(give_up)) return true;
    const auto now = clock::now();
    if (now >= give_up) return false;
    if (now - last_report >= std::chrono::seconds(1)) {
      report(now - start);
      last_report = now;
    }
    std::this_thread::sleep_for(
        std::min(interval, std::chrono::duration_cast<std::chrono::milliseconds>(give_up - now)));
    interval = std::min(interval * 2, max_interval);
  }
}

}  // namespace ballast
