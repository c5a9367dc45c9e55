// --status ranges and --expect-json POINTER=VALUE, then check_json against a body: the options
// are parsed or refused (UsageError); judging a body never throws, whatever the body holds.
// Input: "STATUS\0EXPECTATION\0BODY".
#include "common/net/http_expect.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ballast;
  using namespace ballast::probe;
  const auto parts = fuzz::fields(fuzz::as_text(data, size));
  StatusRanges ranges;
  if (!fuzz::refused([&] { ranges = parse_status_ranges(parts[0], "--status"); })) {
    FUZZ_CHECK(!ranges.ranges.empty());
    for (const auto& [lo, hi] : ranges.ranges) FUZZ_CHECK(lo >= 100 && lo <= hi && hi <= 599);
  }
  if (parts.size() < 3) return 0;
  JsonExpectation expectation;
  if (fuzz::refused([&] { expectation = parse_json_expectation(parts[1], "--expect-json"); }))
    return 0;
  (void)check_json(parts[2], {expectation});  // must not throw: a body is judged, not refused
  return 0;
}
