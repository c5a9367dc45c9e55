#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"
#include "common/log.hpp"
#include "common/text.hpp"

// What every harness shares. The contract a harness checks: the function under test returns,
// or throws a ballast::Error (a documented refusal: one line, a known exit code). Any other
// exception escapes LLVMFuzzerTestOneInput and libFuzzer reports it; ASan and UBSan abort on
// memory errors and undefined behaviour; FUZZ_CHECK aborts on a broken property.
namespace ballast::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};  // NOLINT: libFuzzer hands bytes
}

// Splits the input into fields on `sep` (so one input can carry several arguments).
inline std::vector<std::string> fields(std::string_view text, char sep = '\0') {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const auto at = text.find(sep, start);
    out.emplace_back(text.substr(start, at == std::string_view::npos ? text.npos : at - start));
    if (at == std::string_view::npos) return out;
    start = at + 1;
  }
}

[[noreturn]] inline void fail(const char* what, const char* file, int line);

// Runs `body`; a ballast::Error is an accepted outcome when its message is one line (no
// control character: a value echoed raw could split it or forge another) of at most 4 KiB.
template <typename Body>
bool refused(Body&& body) {
  try {
    body();
    return false;
  } catch (const ballast::Error& e) {
    const std::string_view message = e.what();
    const auto broken = [&](const char* what) {
      std::fprintf(stderr, "fuzz: the message: %s\n", shown(message, 600).c_str());
      fail(what, __FILE__, __LINE__);
    };
    if (has_control(message)) broken("a refusal's message holds a control character");
    if (message.size() > 4096) broken("a refusal's message is over 4 KiB");
    return true;
  }
}

// The log is silenced: refusals are expected and would drown libFuzzer's own output.
inline void quiet() { log::configure(log::Level::kOff, log::Format::kText); }

[[noreturn]] inline void fail(const char* what, const char* file, int line) {
  std::fprintf(stderr, "fuzz: property broken at %s:%d: %s\n", file, line, what);
  std::abort();
}

}  // namespace ballast::fuzz

#define FUZZ_CHECK(cond) \
  ((cond) ? static_cast<void>(0) : ::ballast::fuzz::fail(#cond, __FILE__, __LINE__))
