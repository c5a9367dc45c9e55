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

// The largest response head read (curl and Go accept headers of 64 KiB and more).
constexpr std::size_t kMaxHead = std::size_t{64} * 1024;
// Interim (1xx) responses skipped before the final one, at most.
constexpr int kMaxInterim = 8;

// A copy of a response head that Beast's strict parser reads as curl and Go do: bare LF line
// ends become CRLF, and a status line "HTTP/1.x NNN" with no reason phrase (busybox httpd and
// other small servers send that) gets the space RFC 9112 asks for.
std::string repaired_head(std::string_view head) {
  std::string out;
  out.reserve(head.size() + 64);
  for (std::size_t i = 0; i < head.size(); ++i) {
    if (head[i] == '\n' && (i == 0 || head[i - 1] != '\r')) out += '\r';
    out += head[i];
  }
  if (const auto eol = out.find("\r\n"); eol == 12 && out.starts_with("HTTP/1."))
    out.insert(12, " ");
  return out;
}

// Reads into `buffer` up to the blank line that ends a response head (CRLF or bare LF), at
// most kMaxHead bytes, and repairs that head in place; Beast then parses from `buffer`. A head
// that never ends is left for Beast to refuse (header limit, bad line).
std::size_t prime_head(ByteStream& stream, boost::beast::flat_buffer& buffer, error_code& ec) {
  std::size_t searched = 0;
  for (;;) {
    const std::string_view seen(static_cast<const char*>(buffer.data().data()), buffer.size());
    std::size_t end = std::string_view::npos;
    for (std::size_t i = searched == 0 ? 0 : searched - 1; i < seen.size(); ++i) {
      if (seen[i] != '\n') continue;
      if (i + 1 < seen.size() && seen[i + 1] == '\n') {
        end = i + 2;
        break;
      }
      if (i + 2 < seen.size() && seen[i + 1] == '\r' && seen[i + 2] == '\n') {
        end = i + 3;
        break;
      }
    }
    if (end != std::string_view::npos) {
      std::string fixed = repaired_head(seen.substr(0, end));
      if (fixed.size() != end) {
        const std::size_t head_size = fixed.size();
        fixed += seen.substr(end);
        buffer.consume(buffer.size());
        const auto n =
            boost::asio::buffer_copy(buffer.prepare(fixed.size()), boost::asio::buffer(fixed));
        buffer.commit(n);
        return head_size;
      }
      return end;
    }
    searched = seen.size();
    if (buffer.size() >= kMaxHead) return 0;  // let Beast say why (header limit)
    const std::size_t n = stream.read_some(buffer.prepare(4096), ec);
    buffer.commit(n);
    if (ec) return 0;
  }
}

// The first kMaxBody bytes of a body framed by a Content-Length over the limit: what arrived
// with the head, then from the stream. Beast 1.74 refuses such a length outright.
void read_bounded_body(ByteStream& stream, boost::beast::flat_buffer& buffer, std::string& body,
                       error_code& ec) {
  const std::string_view seen(static_cast<const char*>(buffer.data().data()), buffer.size());
  body.assign(seen.substr(0, kMaxBody));
  buffer.consume(buffer.size());
  while (body.size() < kMaxBody) {
    const std::size_t used = body.size();
    body.resize(kMaxBody);
    const std::size_t n = stream.read(body.data() + used, kMaxBody - used, ec);
    body.resize(used + n);
    if (ec || n == 0) break;
  }
}

}  // namespace

error_code read_http_response(ByteStream& stream, bool head, HttpResponse& out) {
  boost::beast::flat_buffer buffer;
  error_code ec;
  for (int interim = 0;; ++interim) {
    http::response_parser<http::string_body> parser;
    parser.header_limit(kMaxHead + 1024);
    parser.body_limit(kMaxBody);
    if (head) parser.skip(true);
    const std::size_t head_size = prime_head(stream, buffer, ec);
    if (!ec) http::read_header(stream, buffer, parser, ec);
    if (!ec || parser.is_header_done()) out.status = parser.get().result_int();
    if (ec == http::error::body_limit && parser.is_header_done()) {
      // A Content-Length over the limit, refused by Beast with the head: the first kMaxBody
      // bytes are read here, after the head if Beast left it in the buffer.
      if (head_size > 0 && buffer.size() >= head_size &&
          std::string_view(static_cast<const char*>(buffer.data().data()), 5) == "HTTP/")
        buffer.consume(head_size);
      ec = {};
      if (head) return ec;
      read_bounded_body(stream, buffer, out.body, ec);
      out.truncated = true;  // judged on what arrived, however the rest goes
      return {};
    }
    if (ec) return ec;
    // 100 Continue, 103 Early Hints: not the answer; the final response follows (101 is a
    // protocol switch, and the answer).
    if (out.status >= 100 && out.status < 200 && out.status != 101 && interim < kMaxInterim)
      continue;
    if (parser.is_done()) return {};
    http::read(stream, buffer, parser, ec);
    if (ec == http::error::body_limit) {
      out.truncated = true;
      ec = {};
    }
    out.body = std::move(parser.get().body());
    return ec;
  }
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
