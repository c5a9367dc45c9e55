#pragma once

#include <string>
#include <string_view>

namespace ballast::migrate {

// Lowercase hex SHA-256 of `data` (mbedTLS), as sha256sum prints it.
std::string sha256_hex(std::string_view data);

}  // namespace ballast::migrate
