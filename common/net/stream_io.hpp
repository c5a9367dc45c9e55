#pragma once

#include <boost/system/error_code.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/net/socket.hpp"

// Whole-message I/O over a ByteStream, for the probes that speak a binary protocol
// (PostgreSQL, Redis, gRPC): Beast's read/write helpers are for HTTP/1 only.
namespace ballast {

// Reads exactly `size` bytes; false with `ec` set (asio::error::eof when the peer closed first).
bool read_exact(ByteStream& stream, void* data, std::size_t size, boost::system::error_code& ec);

// Writes all of `data`; false with `ec` set.
bool write_all(ByteStream& stream, std::string_view data, boost::system::error_code& ec);

// Network byte order (big-endian) 32-bit words, as PostgreSQL's messages, SASL and gRPC's
// message prefix frame their lengths.
inline void append_be32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xff);
}
inline std::uint32_t read_be32(const void* data) {
  const auto* p = static_cast<const unsigned char*>(data);
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

// What a failed read or write means in a probe line: "no answer within 5000ms (startup)",
// "connection closed early", "request failed: Broken pipe".
std::string io_failure(const boost::system::error_code& ec, std::chrono::milliseconds timeout,
                       std::string_view during);

}  // namespace ballast
