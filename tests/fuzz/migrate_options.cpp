// migrate's command line and environment (DATABASE_URL and friends, MIGRATE_*), resolved to a
// Config as every command does before touching a database: accepted, or refused with a
// UsageError/ConfigError, never anything else.
#include "common/program.hpp"
#include "migrate/config.hpp"
#include "options.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ballast;
  auto cl = fuzz::command_line(fuzz::as_text(data, size));
  (void)fuzz::refused([&] {
    const auto options = with_common_options(migrate::config_options());
    const cli::Args args = cli::parse(options, cl.argv, cl.env, cli::Positionals::kInterleaved);
    (void)migrate::resolve_config(args, cl.env, true);
    (void)migrate::resolve_config(args, cl.env, false);
  });
  fuzz::quiet();
  return 0;
}
