#pragma once

#include <chrono>
#include <memory>
#include <string>

namespace ballast::probe {

// The outcome of probing one target once.
struct Result {
  bool healthy = false;
  std::string target;  // as the user wrote it, credentials masked
  std::string detail;  // "connected", "connect refused", "stale: modified 75s ago (max 60s)"
  std::chrono::nanoseconds elapsed{0};
};

// Settings shared by every kind of target.
struct Settings {
  std::chrono::milliseconds timeout{5000};   // overall deadline for one probe
  std::chrono::milliseconds max_age{60000};  // file:// heartbeat freshness
};

// One target that can be probed repeatedly (healthcheck, entrypoint --wait).
class Probe {
 public:
  virtual ~Probe() = default;
  // Probes once within settings.timeout. Never throws for an unhealthy target; the Result says
  // why.
  virtual Result run(const Settings& settings) = 0;
};

// Builds the probe for a target URL: tcp://host:port or file:///path. Throws UsageError
// naming the target for an unknown scheme or a malformed URL.
std::unique_ptr<Probe> make_probe(const std::string& target);

}  // namespace ballast::probe
