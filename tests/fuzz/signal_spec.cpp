// Signal names and numbers (--rewrite FROM:TO, -s/--stop-signal, tini's -e/--remap-exit
// FROM:TO): parsed to real signals and exit codes or refused with a UsageError.
// Input: specs separated by NUL.
#include <csignal>

#include "entrypoint/signals.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ballast;
  using namespace ballast::entrypoint;
  const auto specs = fuzz::fields(fuzz::as_text(data, size));
  const auto valid = [](int sig) { return sig >= 1 && sig <= SIGRTMAX; };
  for (const auto& spec : specs) {
    int sig = 0;
    if (!fuzz::refused([&] { sig = parse_signal(spec, "--stop-signal"); })) FUZZ_CHECK(valid(sig));
  }
  std::map<int, int> rewrites;
  if (!fuzz::refused([&] { rewrites = parse_rewrites(specs, "--rewrite"); }))
    for (const auto& [from, to] : rewrites) FUZZ_CHECK(valid(from) && (to == 0 || valid(to)));
  std::map<int, int> remaps;
  if (!fuzz::refused([&] { remaps = parse_exit_remaps(specs, "--remap-exit"); }))
    for (const auto& [from, to] : remaps)
      FUZZ_CHECK(from >= 0 && from <= 255 && to >= 0 && to <= 255);
  return 0;
}
