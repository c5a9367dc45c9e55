#pragma once

#include <memory>
#include <string>

#include "common/net/pg_auth.hpp"

namespace ballast {

// A PgAuthStart: SCRAM-SHA-256 (RFC 5802/7677, without channel binding), MD5 and cleartext,
// the methods a PostgreSQL 10+ server asks a password user for, hashed with mbedTLS.
std::unique_ptr<PgAuth> start_pg_auth(const std::string& user, const std::string& password);

}  // namespace ballast
