#include "common/net/http_response.hpp"

#include <fmt/format.h>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include "common/net/http_expect.hpp"

namespace ballast::probe {
namespace {

namespace http = boost::beast::http;
using boost::system::error_code;

// Reads up to the end of the status line into `buffer` and, when the line is "HTTP/1.x NNN"
// with no reason phrase and no space after the code (busybox httpd and other small servers
// send that), adds the space RFC 9112 asks for: Beast's strict parser would otherwise reject a
// response that curl and every browser accept. Beast then parses from `buffer` onwards.
void prime_status_line(ByteStream& stream, boost::beast::flat_buffer& buffer, error_code& ec) {
  for (;;) {
    const std::string_view seen(static_cast<const char*>(buffer.data().data()), buffer.size());
    if (const auto eol = seen.find("\r\n"); eol != std::string_view::npos) {
      if (eol == 12 && seen.starts_with("HTTP/1.")) {
        std::string fixed(seen.substr(0, 12));
        fixed += ' ';
        fixed += seen.substr(12);
        buffer.consume(buffer.size());
        const auto n =
            boost::asio::buffer_copy(buffer.prepare(fixed.size()), boost::asio::buffer(fixed));
        buffer.commit(n);
      }
      return;
    }
    if (buffer.size() >= 8192) return;  // not a status line we can help; let Beast say why
    const std::size_t n = stream.read_some(buffer.prepare(1024), ec);
    buffer.commit(n);
    if (ec) return;
  }
}

// Reads the response, its body only up to kMaxBody. A Content-Length over the limit stops
// after the header with error::body_limit: Beast 1.74 checks its body limit only for chunked
// bodies, so the length is checked here.
void read_response(ByteStream& stream, boost::beast::flat_buffer& buffer,
                   http::response_parser<http::string_body>& parser, error_code& ec) {
  prime_status_line(stream, buffer, ec);
  if (ec) return;
  http::read_header(stream, buffer, parser, ec);
  if (ec || parser.is_done()) return;
  if (const auto length = parser.content_length(); length && *length > kMaxBody) {
    ec = http::error::body_limit;
    return;
  }
  http::read(stream, buffer, parser, ec);
}

}  // namespace

error_code read_http_response(ByteStream& stream, bool head, HttpResponse& out) {
  http::response_parser<http::string_body> parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(kMaxBody);
  if (head) parser.skip(true);
  boost::beast::flat_buffer buffer;
  error_code ec;
  read_response(stream, buffer, parser, ec);
  if (ec == http::error::body_limit && parser.is_header_done()) {
    out.truncated = true;  // judged on what arrived; the rest is not our business
    ec = {};
  }
  if (!ec || parser.is_header_done()) out.status = parser.get().result_int();
  out.body = std::move(parser.get().body());
  return ec;
}

bool judge_http_response(const HttpResponse& response, const HttpSettings& hs,
                         std::string& detail) {
  const unsigned status = response.status;
  if (!hs.status.contains(status)) {
    detail = fmt::format("-> {} (expected {})", status,
                         hs.status.text.empty() ? "200-399" : hs.status.text);
    return false;
  }
  if (!hs.expect_json.empty()) {
    if (response.truncated) {
      detail = fmt::format("-> {}, body over {} KiB: not checked as JSON", status, kMaxBody / 1024);
      return false;
    }
    if (auto why = check_json(response.body, hs.expect_json)) {
      detail = fmt::format("-> {}, {}", status, *why);
      return false;
    }
  }
  if (hs.expect_body && response.body.find(*hs.expect_body) == std::string::npos) {
    detail = fmt::format("-> {}, body lacks \"{}\"", status, *hs.expect_body);
    return false;
  }
  detail = fmt::format("-> {}", status);
  return true;
}

}  // namespace ballast::probe
