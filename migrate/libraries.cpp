// The versions --version names for migrate's own libraries. A file of its own: pg_query.h and
// libpq's headers both define PostgreSQL's version macros.
#include <fmt/format.h>
#include <libpq-fe.h>
#include <mbedtls/build_info.h>
#include <openssl/opensslv.h>
#include <sqlite3.h>

#include "migrate/run.hpp"

namespace ballast::migrate {

std::string libraries() {
  const int pq = PQlibVersion();  // 150018 for 15.18
  return fmt::format("SQLite {}, libpq {}.{}, OpenSSL {}, libpg_query {}, mbedTLS {}",
                     sqlite3_libversion(), pq / 10000, pq % 10000, OPENSSL_FULL_VERSION_STR,
                     BALLAST_PG_QUERY_VERSION, MBEDTLS_VERSION_STRING);
}

}  // namespace ballast::migrate
