#include "migrate/database.hpp"

#include "migrate/postgres_database.hpp"
#include "migrate/sqlite_database.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "common/error.hpp"
#include "common/text.hpp"

namespace ballast::migrate {

Version history_version(std::string_view text, std::string_view where) {
  if (auto v = Version::from_history(text)) return *v;
  throw DataError(fmt::format(
      "the history table in {} holds version '{}', which is not a version: was it written by "
      "another tool? (see migrate adopt)",
      where, shown(text)));
}

void sort_history(std::vector<AppliedRow>& rows) {
  std::stable_sort(rows.begin(), rows.end(), [](const AppliedRow& a, const AppliedRow& b) {
    if (a.module != b.module) return a.module < b.module;
    return a.version < b.version;
  });
}

std::unique_ptr<Database> open_database(const DatabaseTarget& target, const HistoryConfig& history,
                                        std::chrono::milliseconds wait, bool writable) {
  if (target.backend == Backend::kPostgres) return open_postgres(target, history, wait);
  return open_sqlite(target.location, history, writable);
}

}  // namespace ballast::migrate
