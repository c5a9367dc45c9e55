#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace ballast {

// Answers a PostgreSQL server's authentication requests with a password. The interface lives
// here, beside the probe that speaks the protocol; the implementation (SCRAM-SHA-256, MD5,
// cleartext) needs hashes and lives in ballast_tls (common/tls/pg_auth.cpp), so a binary that
// hands none in (entrypoint) links no crypto.
class PgAuth {
 public:
  virtual ~PgAuth() = default;
  // `code` is an AuthenticationRequest's code (3 cleartext, 5 MD5, 10 SASL, 11 SASL continue,
  // 12 SASL final) and `data` what follows it. Returns the payload of the password message to
  // send back, "" when nothing is to be sent (SASL final, verified), or nullopt with `error`
  // set when the request cannot be answered ("the server's SCRAM signature does not match",
  // "the server wants GSSAPI, which healthcheck does not speak").
  virtual std::optional<std::string> answer(std::uint32_t code, std::string_view data,
                                            std::string& error) = 0;
};

// Starts one authentication exchange for `user` with `password`.
using PgAuthStart = std::unique_ptr<PgAuth> (*)(const std::string& user,
                                                const std::string& password);

}  // namespace ballast
