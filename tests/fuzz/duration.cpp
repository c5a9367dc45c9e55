// Durations (--timeout, --interval, --grace, ...): any text either parses to a value within a
// year or is refused with a UsageError; no overflow on the way.
#include <chrono>

#include "common/duration.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ballast;
  const auto text = fuzz::as_text(data, size);
  std::chrono::milliseconds ms{};
  if (fuzz::refused([&] { ms = parse_duration(text, "--timeout"); })) return 0;
  FUZZ_CHECK(ms.count() >= 0);
  FUZZ_CHECK(ms <= std::chrono::hours(366 * 24));
  // Shown in logs: any parsed value formats without overflow.
  FUZZ_CHECK(!format_duration(ms).empty());
  return 0;
}
