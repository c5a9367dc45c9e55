// DATABASE_URL in every spelling other tools use: SQLite paths and URLs, PostgreSQL URLs and
// keyword/value strings. Parsed to one target or refused; the display never holds the password.
#include "common/database_url.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ballast;
  const auto text = fuzz::as_text(data, size);
  (void)is_postgres_url(text);
  DatabaseTarget target;
  if (fuzz::refused([&] { target = parse_database_url(text, "DATABASE_URL"); })) return 0;
  FUZZ_CHECK(target.location.find('\0') == std::string::npos);
  if (target.backend == Backend::kSqlite) {
    FUZZ_CHECK(!target.location.empty());
    return 0;
  }
  if (const auto password = target.conn.get("password"); password && password->size() >= 6) {
    // A password made of URL punctuation may be rebuilt by chance from the hosts and ports
    // shown beside each other: only a plain one is looked for.
    bool elsewhere = password->find_first_of(",:/@[]?&=%") != std::string::npos;
    for (const auto& [key, value] : target.conn.params())
      if (key != "password" &&
          (value.find(*password) != std::string::npos || key.find(*password) != std::string::npos))
        elsewhere = true;
    const std::string_view shown = std::string_view(target.display).substr(11);  // "postgres://"
    if (!elsewhere) FUZZ_CHECK(shown.find(*password) == std::string::npos);
  }
  return 0;
}
