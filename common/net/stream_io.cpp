#include "common/net/stream_io.hpp"

#include <fmt/format.h>

#include <boost/asio/error.hpp>
#include <boost/beast/http/error.hpp>

namespace ballast {

bool read_exact(ByteStream& stream, void* data, std::size_t size, boost::system::error_code& ec) {
  auto* p = static_cast<char*>(data);
  while (size > 0) {
    const std::size_t n = stream.read(p, size, ec);
    if (ec) return false;
    if (n == 0) {
      ec = boost::asio::error::eof;
      return false;
    }
    p += n;
    size -= n;
  }
  return true;
}

bool write_all(ByteStream& stream, std::string_view data, boost::system::error_code& ec) {
  while (!data.empty()) {
    const std::size_t n = stream.write(data.data(), data.size(), ec);
    if (ec) return false;
    data.remove_prefix(n);
  }
  return true;
}

std::string io_failure(const boost::system::error_code& ec, std::chrono::milliseconds timeout,
                       std::string_view during) {
  if (ec == boost::asio::error::timed_out)
    return fmt::format("no answer within {}ms ({})", timeout.count(), during);
  if (ec == boost::beast::http::error::end_of_stream || ec == boost::asio::error::eof)
    return fmt::format("connection closed {}",
                       during == "response" ? "before a complete response" : "early");
  return fmt::format("{} failed: {}", during, ec.message());
}

}  // namespace ballast
