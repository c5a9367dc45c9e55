#pragma once

#include <memory>
#include <string>

#include "common/probe.hpp"

namespace ballast::probe {

// tcp://HOST:PORT (IPv6 literals in brackets): healthy when a TCP connection is accepted
// within the deadline. Every address HOST resolves to is tried in turn. Throws UsageError for
// a malformed URL.
std::unique_ptr<Probe> make_tcp_probe(const std::string& target);

}  // namespace ballast::probe
