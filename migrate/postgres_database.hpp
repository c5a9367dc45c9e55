#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "migrate/database.hpp"

namespace ballast::migrate {

// The PostgreSQL backend over libpq. `url` goes to libpq unchanged (sslmode and every other
// URI parameter work). Retries connecting for at most `wait`, then throws UnavailableError.
std::unique_ptr<Database> open_postgres(const std::string& url, const HistoryConfig& history,
                                        std::chrono::milliseconds wait);

}  // namespace ballast::migrate
