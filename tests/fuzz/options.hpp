#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/env.hpp"
#include "fuzz.hpp"

// For the option-parser harnesses: the input is "NAME=value\n...\0ARG\0ARG...": an environment
// (every *_FILE variable dropped: a harness never reads files) and the arguments after the program
// name.
namespace ballast::fuzz {

struct CommandLine {
  Env env;
  std::vector<std::string> storage;
  std::vector<char*> argv;
};

inline CommandLine command_line(std::string_view text) {
  CommandLine out;
  const auto parts = fields(text);
  for (const auto& line : fields(parts[0], '\n')) {
    const auto eq = line.find('=');
    if (eq == std::string::npos || eq == 0 || line.substr(0, eq).ends_with("_FILE")) continue;
    out.env.set(line.substr(0, eq), line.substr(eq + 1));
  }
  out.storage.assign(parts.begin() + 1, parts.end());
  for (auto& s : out.storage) out.argv.push_back(s.data());
  return out;
}

}  // namespace ballast::fuzz
