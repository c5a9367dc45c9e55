#pragma once

#include <string>
#include <string_view>

namespace ballast {

// What --version prints below its first line: the commit the binary was built from, the
// architecture it was built for, and the version of every library linked into it — `own`
// (the binary's own, "SQLite 3.40.1, libpq 15.18") then the ones all three link. Versions come
// from the libraries' headers (or, where a library reports it, its own call), so they are the
// ones compiled in, whatever the machine running the binary has.
std::string build_info_text(std::string_view own);

// "1.74.0": the Boost compiled in, for the binaries that link Boost.Asio/Beast (ballast_net).
std::string boost_version();

}  // namespace ballast
