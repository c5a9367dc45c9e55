#pragma once

#include <libpq-fe.h>

#include <chrono>

#include "common/database_url.hpp"

namespace ballast::migrate {

// Connects to `target` (its keyword/value string goes to libpq unchanged, so libpq judges every
// parameter), retrying for at most `wait` while the server is not up yet, with backoff; a
// wrong password, database or parameter is not retried. Throws UnavailableError naming
// target.display (never the password) with libpq's first line. The caller owns the
// connection (PQfinish).
PGconn* connect_postgres(const DatabaseTarget& target, std::chrono::milliseconds wait);

}  // namespace ballast::migrate
