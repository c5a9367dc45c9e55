// reviewed.sum, the review ledger ("<sha256>  <file>" lines): parsed or refused with a
// DataError; what parses round-trips through format_ledger exactly.
#include "migrate/ledger.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ballast;
  using namespace ballast::migrate;
  Ledger ledger;
  if (fuzz::refused([&] { ledger = parse_ledger(fuzz::as_text(data, size), "reviewed.sum"); }))
    return 0;
  const std::string text = format_ledger(ledger);
  Ledger again;
  FUZZ_CHECK(!fuzz::refused([&] { again = parse_ledger(text, "reviewed.sum"); }));
  FUZZ_CHECK(again.sha256_by_file == ledger.sha256_by_file);
  FUZZ_CHECK(format_ledger(again) == text);
  return 0;
}
