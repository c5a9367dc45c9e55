#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "migrate/database.hpp"

namespace ballast::migrate {

// The PostgreSQL backend over libpq. `target.location` (a keyword/value string) goes to libpq
// unchanged, so libpq judges every parameter; logs name `target.display`, never the password.
// Retries connecting for at most `wait`, then throws UnavailableError.
std::unique_ptr<Database> open_postgres(const DatabaseTarget& target, const HistoryConfig& history,
                                        std::chrono::milliseconds wait);

}  // namespace ballast::migrate
