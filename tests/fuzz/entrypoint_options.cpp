// entrypoint's command line with its ENTRYPOINT_* environment forms and tini/dumb-init
// spellings: one typed Options or a UsageError/ConfigError, never anything else.
#include "entrypoint/options.hpp"
#include "options.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ballast;
  auto cl = fuzz::command_line(fuzz::as_text(data, size));
  (void)fuzz::refused([&] { (void)entrypoint::parse_options(cl.argv, cl.env); });
  fuzz::quiet();  // --log-level in the input may have turned logging back on
  return 0;
}
