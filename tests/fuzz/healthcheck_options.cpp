// healthcheck's command line (its own flags, curl's and wget's) with the HEALTHCHECK_*
// environment, then building a probe for every target, as healthcheck does before probing:
// options and targets are accepted or refused with a UsageError, never anything else.
#include "common/net/probe.hpp"
#include "common/net/url.hpp"
#include "healthcheck/options.hpp"
#include "options.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ballast;
  auto cl = fuzz::command_line(fuzz::as_text(data, size));
  (void)fuzz::refused([&] {
    const auto options = healthcheck::parse_options(cl.argv, cl.env);
    if (!options) return;
    for (const auto& target : options->targets) (void)probe::make_target_probe(target, "http", {});
  });
  fuzz::quiet();
  return 0;
}
