#pragma once

#include <memory>

#include "common/net/probe.hpp"
#include "common/net/url.hpp"

namespace ballast::probe {

// tcp://HOST:PORT or unix:///PATH: healthy when a connection is accepted within the deadline.
// Every address HOST resolves to is tried in turn.
std::unique_ptr<Probe> make_connect_probe(const Url& url);

}  // namespace ballast::probe
