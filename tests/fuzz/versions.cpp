// Migration versions as other tools spell them: numbers of any length, Flyway's dotted and
// underscored parts, repeatables. What parses round-trips through its canonical text (what
// the history stores), and the order is a total order: antisymmetric, and equal versions have
// equal text. Input: "A\nB".
#include "fuzz.hpp"
#include "migrate/version.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using ballast::migrate::Version;
  const auto text = ballast::fuzz::as_text(data, size);
  const auto cut = text.find('\n');
  const auto a = Version::from_history(text.substr(0, cut));
  const auto b = Version::from_history(cut == std::string_view::npos ? "" : text.substr(cut + 1));
  for (const auto& v : {a, b}) {
    if (!v) continue;
    const auto again = Version::from_history(v->text());
    FUZZ_CHECK(again && *again == *v && again->text() == v->text());
  }
  if (a && b) {
    FUZZ_CHECK((*a < *b) == (*b > *a));
    FUZZ_CHECK(!(*a < *b && *b < *a));
    FUZZ_CHECK((*a == *b) == (a->text() == b->text()));
  }
  return 0;
}
