#include "common/probe.hpp"

#include <fmt/format.h>

#include "common/error.hpp"
#include "common/probe_file.hpp"
#include "common/probe_tcp.hpp"

namespace ballast::probe {

std::unique_ptr<Probe> make_probe(const std::string& target) {
  if (target.starts_with("tcp://")) return make_tcp_probe(target);
  if (target.starts_with("file://")) return make_file_probe(target);
  throw UsageError(
      fmt::format("unsupported target '{}': use tcp://HOST:PORT or file:///PATH", target));
}

}  // namespace ballast::probe
