// The lint of a migration file, both dialects, with the waivers the same text holds: every
// finding names a known rule and a line inside the file, an allowed finding is never blocking,
// and nothing throws (text that does not parse gives no finding; verify names it).
#include "migrate/lint.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ballast::migrate;
  if (size == 0) return 0;
  // The first byte picks the dialect and whether the file runs outside a transaction.
  const auto sql = ballast::fuzz::as_text(data + 1, size - 1);
  const SqlDialect dialect = (data[0] & 1) != 0 ? SqlDialect::kSqlite : SqlDialect::kPostgres;
  const bool no_transaction = (data[0] & 2) != 0;
  const LintOptions options{(data[0] & 4) == 0};
  const auto waivers = lint_waivers(sql);
  const std::size_t lines = line_of_byte(sql, sql.size());
  for (const auto& w : waivers) FUZZ_CHECK(w.line >= 1 && w.line <= lines);
  for (const auto& f : lint_sql(sql, waivers, dialect, no_transaction, options)) {
    const LintRule* rule = find_lint_rule(f.rule);
    FUZZ_CHECK(rule != nullptr);
    FUZZ_CHECK(f.line >= 1 && f.line <= lines);
    FUZZ_CHECK(!f.message.empty());
    FUZZ_CHECK(!(f.allowed && f.blocking));
    FUZZ_CHECK(f.blocking == (rule->blocking && !f.allowed));
  }
  return 0;
}
