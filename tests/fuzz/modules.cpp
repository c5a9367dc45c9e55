// modules.json (other repositories' migrations, pinned): parsed for every mode or refused with
// a DataError; the pin checks of what parses never throw.
#include "migrate/modules.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ballast;
  using namespace ballast::migrate;
  const auto text = fuzz::as_text(data, size);
  for (const Mode mode : {Mode::kProd, Mode::kStaging, Mode::kDev, Mode::kTest}) {
    ModulesFile file;
    if (fuzz::refused([&] { file = parse_modules(text, "/srv/app/modules.json", mode); })) continue;
    for (const auto& m : file.modules) {
      FUZZ_CHECK(!m.id.empty() && !m.repository.empty() && !m.migrations.empty());
      FUZZ_CHECK(!(m.tag && m.branch));
      if (m.tag) (void)is_semver_tag(*m.tag, true);
    }
    (void)check_pins(file, PinOptions{mode == Mode::kProd, false, false});
    (void)check_pins(file, PinOptions{true, true, true});
  }
  return 0;
}
