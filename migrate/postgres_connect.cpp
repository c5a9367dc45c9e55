#include "migrate/postgres_connect.hpp"

#include <fmt/format.h>

#include <array>
#include <memory>

#include "common/error.hpp"
#include "common/log.hpp"
#include "common/retry.hpp"

namespace ballast::migrate {
namespace {

struct ConnCloser {
  void operator()(PGconn* c) const { PQfinish(c); }
};

std::string first_line(const char* message) {
  std::string s = message == nullptr ? "" : message;
  if (const auto nl = s.find('\n'); nl != std::string::npos) s.resize(nl);
  return s;
}

}  // namespace

PGconn* connect_postgres(const DatabaseTarget& target, std::chrono::milliseconds wait) {
  // application_name first: a value in the URL, expanded after it, still wins.
  const std::array<const char*, 3> keys{"application_name", "dbname", nullptr};
  const std::array<const char*, 3> values{"ballast-migrate", target.location.c_str(), nullptr};
  std::unique_ptr<PGconn, ConnCloser> conn;
  std::string why;
  const auto connected = [&] {
    conn.reset(PQconnectdbParams(keys.data(), values.data(), 1));
    if (conn && PQstatus(conn.get()) == CONNECTION_OK) return true;
    why = first_line(conn ? PQerrorMessage(conn.get()) : "out of memory");
    return false;
  };
  // Only a server that is not up yet is worth waiting for; a wrong password, database or
  // parameter fails the same way every time.
  const auto hopeless = [&] {
    return why.find("authentication failed") != std::string::npos ||
           (why.find("database \"") != std::string::npos &&
            why.find("does not exist") != std::string::npos) ||
           why.find("invalid ") != std::string::npos ||
           (conn && PQconnectionNeedsPassword(conn.get()));
  };
  const bool ok =
      connected() ||
      (!hopeless() && wait.count() > 0 &&
       retry_with_backoff(
           wait, std::chrono::milliseconds(250), [&](auto) { return connected() || hopeless(); },
           [&](auto) {
             log::info("waiting for {} to accept connections: {}", target.display, why);
           },
           std::chrono::milliseconds(1000)) &&
       PQstatus(conn.get()) == CONNECTION_OK);
  if (!ok) throw UnavailableError(fmt::format("unable to connect to {}: {}", target.display, why));
  return conn.release();
}

}  // namespace ballast::migrate
