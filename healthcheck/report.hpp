#pragma once

#include <string>
#include <vector>

#include "common/net/probe.hpp"

namespace ballast::healthcheck {

// "healthy: tcp://127.0.0.1:5432 connected in 0.2ms": the one stdout line per target, short
// enough for docker inspect's 4 KiB health log.
std::string format_line(const probe::Result& result);

// One JSON object: {"healthy":bool,"targets":[{"target":…,"healthy":…,"detail":…,"ms":…}]}.
std::string format_json(bool healthy, const std::vector<probe::Result>& results);

}  // namespace ballast::healthcheck
