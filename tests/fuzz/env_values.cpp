// Values read from someone else's environment: LOG_LEVEL/LOG_FORMAT and their strict Ballast
// forms, the mode variables, booleans, and NAME_FILE secrets (the file's text fuzzed too).
// Input: lines "NAME=value"; a line "--" starts the text every *_FILE reads.
#include "common/cli.hpp"
#include "common/env.hpp"
#include "common/file_secrets.hpp"
#include "common/mode.hpp"
#include "common/secret.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ballast;
  fuzz::quiet();
  const auto text = fuzz::as_text(data, size);
  const auto cut = text.find("\n--\n");
  const std::string file_text(cut == std::string_view::npos ? "" : text.substr(cut + 4));
  Env env;
  for (const auto& line : fuzz::fields(text.substr(0, cut), '\n')) {
    const auto eq = line.find('=');
    if (eq == std::string::npos || eq == 0) continue;
    env.set(line.substr(0, eq), line.substr(eq + 1));
    const std::string value = line.substr(eq + 1);
    (void)log::parse_level(value);
    (void)log::parse_level_alias(value);
    (void)log::parse_format(value);
    (void)log::parse_format_alias(value);
    (void)parse_mode(value);
    (void)cli::parse_bool(value);
    (void)is_secret_file_var(line.substr(0, eq));
  }
  ResolvedMode mode{Mode::kDev, ""};
  (void)fuzz::refused([&] { mode = resolve_mode(std::nullopt, env); });
  (void)fuzz::refused([&] { mode = resolve_mode(env.get("FLAG"), env); });
  const FileReader reader = [&](const std::string&) { return file_text; };
  std::vector<std::string> loaded;
  if (fuzz::refused([&] { loaded = load_file_secrets(env, reader); })) {
    secret::forget_all();
    return 0;
  }
  for (const auto& name : loaded) {
    const auto value = env.get(name);
    FUZZ_CHECK(value.has_value() && !env.get(name + "_FILE"));
    FUZZ_CHECK(!value->empty());  // an empty secret file is refused, never NAME=""
  }
  secret::forget_all();
  return 0;
}
