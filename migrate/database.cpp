#include "migrate/database.hpp"

#include "migrate/postgres_database.hpp"
#include "migrate/sqlite_database.hpp"

namespace ballast::migrate {

std::unique_ptr<Database> open_database(const DatabaseTarget& target, const HistoryConfig& history,
                                        std::chrono::milliseconds wait, bool writable) {
  if (target.backend == Backend::kPostgres) return open_postgres(target, history, wait);
  return open_sqlite(target.location, history, writable);
}

}  // namespace ballast::migrate
