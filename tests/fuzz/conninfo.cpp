// PostgreSQL connection strings (libpq URI and keyword/value forms): parsed or refused; what
// parses round-trips through the keyword/value text handed to libpq, never carries a NUL
// (libpq would cut the value there) and never shows a password.
#include "common/conninfo.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ballast;
  const auto text = fuzz::as_text(data, size);
  (void)looks_like_keyword_value(text);
  (void)fuzz::refused([&] { (void)percent_decode(text); });
  ConnInfo info;
  if (fuzz::refused([&] { info = parse_conninfo(text); })) return 0;
  for (const auto& [key, value] : info.params()) {
    FUZZ_CHECK(key.find('\0') == std::string::npos);
    FUZZ_CHECK(value.find('\0') == std::string::npos);
  }
  if (info.params().empty()) return 0;  // nothing left to hand libpq (only dropped parameters)
  const std::string kv = info.to_keyword_value();
  ConnInfo again;
  FUZZ_CHECK(!fuzz::refused([&] { again = parse_conninfo(kv); }));
  FUZZ_CHECK(again.params() == info.params());
  std::string shown;
  if (fuzz::refused([&] { shown = info.display(); })) return 0;
  (void)info.endpoints();
  if (const auto password = info.get("password"); password && password->size() >= 4) {
    // A password made of URL punctuation may be rebuilt by chance from the hosts and ports
    // shown beside each other: only a plain one is looked for.
    bool elsewhere = password->find_first_of(",:/@[]?&=%") !=
                     std::string::npos;  // the same text as another value may show up legitimately
    for (const auto& [key, value] : info.params())
      if (key != "password" &&
          (value.find(*password) != std::string::npos || key.find(*password) != std::string::npos))
        elsewhere = true;
    if (!elsewhere && std::string_view("postgres://****").find(*password) == std::string::npos)
      FUZZ_CHECK(shown.find(*password) == std::string::npos);
  }
  return 0;
}
