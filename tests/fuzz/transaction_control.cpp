// Transaction control found in a migration file, for both dialects: always ends (the SQLite
// split has a work cap), every finding lies inside the text, a wrapper is a BEGIN at the
// start and a COMMIT at the end, and blanking it keeps every offset and line.
// Input: one byte for the dialect, then the SQL.
#include <algorithm>

#include "fuzz.hpp"
#include "migrate/transaction_control.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ballast::migrate;
  if (size < 1) return 0;
  const auto dialect = (data[0] & 1) != 0 ? SqlDialect::kPostgres : SqlDialect::kSqlite;
  const auto sql = ballast::fuzz::as_text(data + 1, size - 1);
  const TransactionScan scan = scan_transaction_control(sql, dialect);
  for (const auto& s : scan.stray) {
    FUZZ_CHECK(s.offset < sql.size());
    FUZZ_CHECK(!s.statement.empty());
  }
  FUZZ_CHECK(scan.wrapper.empty() || scan.wrapper.size() == 2);
  for (const auto& [begin, end] : scan.wrapper) FUZZ_CHECK(begin < end && end <= sql.size());
  const std::string blanked = blank_ranges(sql, scan.wrapper);
  FUZZ_CHECK(blanked.size() == sql.size());
  FUZZ_CHECK(std::count(blanked.begin(), blanked.end(), '\n') ==
             std::count(sql.begin(), sql.end(), '\n'));
  return 0;
}
