// The schema recorded in the snapshot table, read back (schema_from_json): anything that is not
// the recorded form is refused with a DataError, and what is read back writes the same JSON.
#include "fuzz.hpp"
#include "migrate/schema.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ballast::migrate;
  const std::string text(ballast::fuzz::as_text(data, size));
  std::vector<SchemaEntry> entries;
  if (ballast::fuzz::refused([&] { entries = schema_from_json(text); })) return 0;
  FUZZ_CHECK(schema_from_json(schema_json(entries)) == entries);
  const auto drift = schema_drift(entries, entries);
  FUZZ_CHECK(drift.empty());
  const auto gone = schema_drift(entries, {});
  for (const auto& line : gone) FUZZ_CHECK(line.starts_with("removed: "));
  return 0;
}
