#include "migrate/sha256.hpp"

#include <mbedtls/sha256.h>

#include <array>
#include <stdexcept>

namespace ballast::migrate {

// mbedTLS rather than OpenSSL's EVP interface: OpenSSL 3 initialises its provider machinery on
// the first digest (about 5 million instructions, ~2 ms), a tenth of a no-op `apply`.
std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, 32> digest{};
  if (mbedtls_sha256(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
                     digest.data(), 0) != 0)
    throw std::runtime_error("mbedTLS sha256 failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(digest.size() * 2);
  for (const unsigned char b : digest) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xf]);
  }
  return out;
}

}  // namespace ballast::migrate
