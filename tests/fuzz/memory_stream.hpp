#pragma once

#include <algorithm>
#include <cstring>
#include <string_view>

#include "common/net/socket.hpp"

namespace ballast::fuzz {

// A server's bytes as a ByteStream: read in pieces of a fuzzed size, as from a real socket;
// writes go nowhere.
class MemoryStream final : public ByteStream {
 public:
  MemoryStream(std::string_view bytes, std::size_t piece) : rest_(bytes), piece_(piece) {}
  std::size_t read(void* data, std::size_t size, boost::system::error_code& ec) override {
    ec = {};
    const std::size_t n = std::min({size, piece_, rest_.size()});
    std::memcpy(data, rest_.data(), n);
    rest_.remove_prefix(n);
    return n;  // 0: the server closed
  }
  std::size_t write(const void*, std::size_t size, boost::system::error_code& ec) override {
    ec = {};
    return size;
  }

 private:
  std::string_view rest_;
  std::size_t piece_;
};

}  // namespace ballast::fuzz
