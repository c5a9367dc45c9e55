#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "common/conninfo.hpp"
#include "common/net/pg_auth.hpp"
#include "common/net/probe.hpp"
#include "common/net/socket.hpp"
#include "common/net/tls_connect.hpp"

namespace ballast::probe {

// postgres://… (any spelling parse_database_url reads): pg_isready's verdicts from the first
// message the server answers a startup packet with — accepting, rejecting (starting up,
// shutting down, in recovery without hot standby, too many clients) or no response.
//
// Without a password in the URL nothing is logged in: an authentication request already says
// the server accepts connections, and the probe leaves there. With one, the probe logs in
// (`auth`: SCRAM-SHA-256, MD5, cleartext; TLS first through `tls` unless sslmode=disable) and
// is healthy only once the server is ready for queries, so wrong credentials are unhealthy.
// Hosts of a multi-host string are tried in order; the first that accepts makes it healthy.
std::unique_ptr<Probe> make_postgres_probe(ConnInfo conn, TlsConnect tls, PgAuthStart auth);

// What one server said.
struct PgAnswer {
  bool healthy = false;
  std::string detail;  // "accepting connections", "rejecting connections: the database ..."
};

// The server's answers to a startup message already sent on `stream`, read to a verdict: an
// ErrorResponse, an authentication request (answered through `auth` when `password` is set),
// ReadyForQuery. Never throws; at most 64 KiB per message.
PgAnswer read_startup_answer(ByteStream& stream, const std::string& user,
                             const std::optional<std::string>& password, PgAuthStart auth,
                             std::chrono::milliseconds timeout);

}  // namespace ballast::probe
