#include "common/net/probe_http.hpp"

#include <fmt/format.h>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "common/error.hpp"
#include "common/net/socket.hpp"
#include "common/text.hpp"

namespace ballast::probe {
namespace {

namespace http = boost::beast::http;
using boost::system::error_code;

std::string io_failure(const error_code& ec, const Settings& settings, std::string_view during) {
  if (ec == boost::asio::error::timed_out)
    return fmt::format("no answer within {}ms ({})", settings.timeout.count(), during);
  if (ec == http::error::end_of_stream || ec == boost::asio::error::eof)
    return fmt::format("connection closed {}",
                       during == "response" ? "before a complete response" : "early");
  return fmt::format("{} failed: {}", during, ec.message());
}

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

class HttpProbe final : public Probe {
 public:
  HttpProbe(Url url, TlsConnect tls) : url_(std::move(url)), tls_(tls) {}

  Result run(const Settings& settings) override {
    const auto start = std::chrono::steady_clock::now();
    const HttpSettings& hs = settings.http;
    Result r{false, fmt::format("{} {}", hs.method, url_.display()), "", {}};
    r.method = hs.method;
    r.url = url_.display();
    r.detail = exchange(settings, r);
    r.elapsed = std::chrono::steady_clock::now() - start;
    return r;
  }

 private:
  std::string exchange(const Settings& settings, Result& result) {
    const HttpSettings& hs = settings.http;
    const Deadline deadline(settings.timeout);
    ConnectError cerr;
    Fd fd = hs.unix_socket.empty() ? connect_tcp(url_.host, url_.port, deadline, cerr)
                                   : connect_unix(hs.unix_socket, deadline, cerr);
    if (!fd) return cerr.message;
    SocketStream socket(std::move(fd), deadline);

    http::request<http::empty_body> req{hs.method == "HEAD" ? http::verb::head : http::verb::get,
                                        url_.target, 11};
    req.set(http::field::host, url_.host_header());
    req.set(http::field::user_agent, "ballast-healthcheck/" BALLAST_VERSION);
    req.set(http::field::accept, "*/*");
    req.set(http::field::connection, "close");
    for (const auto& [name, value] : hs.headers) req.set(name, value);

    http::response_parser<http::string_body> parser;
    parser.header_limit(16 * 1024);
    parser.body_limit(kMaxBody);
    if (hs.method == "HEAD") parser.skip(true);
    boost::beast::flat_buffer buffer;
    error_code ec;
    std::unique_ptr<ByteStream> tls;
    if (url_.scheme == "https") {
      std::string tls_error;
      tls = tls_(socket, TlsOptions{url_.host, hs.ca_file, hs.insecure}, tls_error);
      if (!tls) return tls_error;
    }
    ByteStream& stream = tls ? *tls : static_cast<ByteStream&>(socket);
    http::write(stream, req, ec);
    if (ec) return io_failure(ec, settings, "request");
    read_response(stream, buffer, parser, ec);
    bool truncated = false;
    if (ec == http::error::body_limit && parser.is_header_done()) {
      truncated = true;  // judged on what arrived; the rest is not our business
    } else if (ec) {
      return io_failure(ec, settings, "response");
    }
    const unsigned status = parser.get().result_int();
    result.status = status;
    if (!hs.status.contains(status))
      return fmt::format("-> {} (expected {})", status,
                         hs.status.text.empty() ? "200-399" : hs.status.text);
    const std::string& body = parser.get().body();
    if (!hs.expect_json.empty()) {
      if (truncated)
        return fmt::format("-> {}, body over {} KiB: not checked as JSON", status, kMaxBody / 1024);
      if (auto why = check_json(body, hs.expect_json))
        return fmt::format("-> {}, {}", status, *why);
    }
    if (hs.expect_body && body.find(*hs.expect_body) == std::string::npos)
      return fmt::format("-> {}, body lacks \"{}\"", status, *hs.expect_body);
    result.healthy = true;
    return fmt::format("-> {}", status);
  }

  Url url_;
  TlsConnect tls_;
};

}  // namespace

std::unique_ptr<Probe> make_http_probe(const Url& url, TlsConnect tls) {
  if (!url.userinfo.empty())
    throw UsageError(
        fmt::format("credentials in the URL '{}' are not sent: use --header 'Authorization: ...'",
                    url.display()));
  if (url.scheme == "https" && tls == nullptr)
    throw UsageError(
        fmt::format("{}: this binary has no TLS (entrypoint keeps it out to stay small); wait with "
                    "'healthcheck --wait' instead, or use http:// or tcp://",
                    url.display()));
  return std::make_unique<HttpProbe>(url, tls);
}

}  // namespace ballast::probe
