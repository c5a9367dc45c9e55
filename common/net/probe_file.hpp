#pragma once

#include <memory>
#include <string>

#include "common/net/probe.hpp"
#include "common/net/url.hpp"

namespace ballast::probe {

// A heartbeat file: healthy when file:///PATH exists and its modification time is within
// settings.max_age of now. A time more than 2s in the future counts as stale (a clock jump or
// a forged file must not keep a dead app healthy).
std::unique_ptr<Probe> make_file_probe(const Url& url);

}  // namespace ballast::probe
