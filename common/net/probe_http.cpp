#include "common/net/probe_http.hpp"

#include <fmt/format.h>

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/write.hpp>

#include "common/error.hpp"
#include "common/net/http_response.hpp"
#include "common/net/socket.hpp"
#include "common/net/stream_io.hpp"
#include "common/text.hpp"

namespace ballast::probe {
namespace {

namespace http = boost::beast::http;
using boost::system::error_code;

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

    std::unique_ptr<ByteStream> tls;
    if (url_.scheme == "https") {
      std::string tls_error;
      tls = tls_(socket, TlsOptions{url_.host, settings.tls}, tls_error);
      if (!tls) return tls_error;
    }
    ByteStream& stream = tls ? *tls : static_cast<ByteStream&>(socket);
    error_code ec;
    http::write(stream, req, ec);
    if (ec) return io_failure(ec, settings.timeout, "request");
    HttpResponse response;
    ec = read_http_response(stream, hs.method == "HEAD", response);
    if (ec) return io_failure(ec, settings.timeout, "response");
    result.status = response.status;
    std::string detail;
    result.healthy = judge_http_response(response, hs, detail);
    return detail;
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
