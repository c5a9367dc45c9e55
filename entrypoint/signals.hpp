#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace ballast::entrypoint {

// Parses a signal as "TERM", "SIGTERM", "sigterm" or "15". Throws UsageError naming `source`
// for an unknown name, a number out of range, or SIGKILL/SIGSTOP (which cannot be caught).
int parse_signal(std::string_view text, std::string_view source);

// Parses "FROM:TO" signal rewrites ("TERM:QUIT"); TO may be 0 to drop the signal.
std::map<int, int> parse_rewrites(const std::vector<std::string>& specs, std::string_view source);

// Parses "FROM:TO" exit-code remaps ("143:0"), each code 0-255.
std::map<int, int> parse_exit_remaps(const std::vector<std::string>& specs,
                                     std::string_view source);

}  // namespace ballast::entrypoint
