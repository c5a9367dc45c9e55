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
  // Only a server that is not up yet (refused, starting, in recovery, full, a name not in DNS
  // yet while compose starts it) is worth waiting for; a wrong password, database, role,
  // parameter or SSL setting fails the same way every time: it is not retried, and is a
  // configuration error (78), not an unavailable server.
  const auto hopeless = [&] {
    if (conn && PQconnectionNeedsPassword(conn.get())) return true;
    for (const char* transient : {"Connection refused",
                                  "No such file or directory",
                                  "starting up",
                                  "shutting down",
                                  "not yet accepting connections",
                                  "in recovery mode",
                                  "too many clients",
                                  "remaining connection slots",
                                  "could not translate host name",
                                  "timeout expired",
                                  "timed out",
                                  "Network is unreachable",
                                  "No route to host",
                                  "closed the connection",
                                  "Connection reset",
                                  "could not receive data",
                                  "could not send data",
                                  "Temporary failure",
                                  "out of memory",
                                  "Resource temporarily unavailable"})
      if (why.find(transient) != std::string::npos) return false;
    return !why.empty();
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
  if (!ok && hopeless())
    throw ConfigError(
        fmt::format("unable to connect to {}: {} (not retried: fix the URL, the "
                    "credentials or the server's settings)",
                    target.display, why));
  if (!ok) throw UnavailableError(fmt::format("unable to connect to {}: {}", target.display, why));
  return conn.release();
}

}  // namespace ballast::migrate
