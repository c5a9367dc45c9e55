#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/net/probe.hpp"
#include "common/net/socket.hpp"
#include "common/net/tls_connect.hpp"
#include "common/net/url.hpp"

namespace ballast::probe {

// redis://[[USER]:PASSWORD@]HOST[:PORT][/DB] and rediss:// (TLS through `tls`): healthy when
// PING answers PONG, after AUTH (when the URL has a password) and SELECT (when it names a
// database other than 0). LOADING, BUSY, NOAUTH, a refused login and a server that does not
// answer in time are unhealthy, named. Throws UsageError for a malformed database number.
std::unique_ptr<Probe> make_redis_probe(const Url& url, TlsConnect tls);

// The commands a probe sends for `url` (AUTH, SELECT, PING), in RESP, pipelined as one write.
std::string redis_commands(const std::optional<std::string>& user,
                           const std::optional<std::string>& password, unsigned db);

// Reads the `count` replies to redis_commands() from `stream` (at most 64 KiB in all) and
// judges them: healthy only when every command succeeded and PING answered PONG.
struct RedisAnswer {
  bool healthy = false;
  std::string detail;  // "PONG", "LOADING Redis is loading the dataset in memory"
};
RedisAnswer read_redis_replies(ByteStream& stream, std::size_t count,
                               std::chrono::milliseconds timeout);

}  // namespace ballast::probe
