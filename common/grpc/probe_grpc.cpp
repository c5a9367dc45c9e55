#include "common/grpc/probe_grpc.hpp"

#include <fmt/format.h>
#include <nghttp2/nghttp2.h>

#include <array>
#include <vector>

#include "common/conninfo.hpp"
#include "common/error.hpp"
#include "common/net/connection.hpp"
#include "common/net/stream_io.hpp"
#include "common/text.hpp"

namespace ballast::probe {
namespace {

constexpr std::size_t kMaxBody = std::size_t{64} * 1024;
constexpr std::string_view kPath = "/grpc.health.v1.Health/Check";

// grpc.health.v1.HealthCheckResponse.ServingStatus
constexpr std::array<std::string_view, 4> kServing{"UNKNOWN", "SERVING", "NOT_SERVING",
                                                   "SERVICE_UNKNOWN"};
// gRPC status codes, as grpc_health_probe and grpcurl name them.
constexpr std::array<std::string_view, 17> kStatus{
    "OK",        "CANCELLED",      "UNKNOWN",           "INVALID_ARGUMENT",   "DEADLINE_EXCEEDED",
    "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
    "ABORTED",   "OUT_OF_RANGE",   "UNIMPLEMENTED",     "INTERNAL",           "UNAVAILABLE",
    "DATA_LOSS", "UNAUTHENTICATED"};

// What the one request's stream brought back.
struct Exchange {
  std::string status;  // :status
  std::optional<std::string> grpc_status;
  std::string grpc_message;
  std::string content_type;
  std::string body;
  bool body_truncated = false;
  bool closed = false;
  std::uint32_t reset = 0;  // RST_STREAM error code, 0 for none
  std::string out;          // frames nghttp2 produced, written together (one segment)
  std::string request;      // the request body
  std::size_t sent = 0;
};

// grpc-message is percent-encoded (gRPC over HTTP/2); a bad escape is shown as sent.
std::string percent_unescape(std::string_view text) {
  try {
    return percent_decode(text);
  } catch (const UsageError&) {
    return std::string(text);
  }
}

nghttp2_nv header(std::string_view name, std::string_view value) {
  // nghttp2 copies names and values (no NO_COPY flags), so views into locals are fine.
  return {const_cast<std::uint8_t*>(reinterpret_cast<const std::uint8_t*>(name.data())),
          const_cast<std::uint8_t*>(reinterpret_cast<const std::uint8_t*>(value.data())),
          name.size(), value.size(), NGHTTP2_NV_FLAG_NONE};
}

ssize_t on_send(nghttp2_session*, const std::uint8_t* data, std::size_t length, int, void* user) {
  static_cast<Exchange*>(user)->out.append(reinterpret_cast<const char*>(data), length);
  return static_cast<ssize_t>(length);
}

int on_header(nghttp2_session*, const nghttp2_frame* frame, const std::uint8_t* name,
              std::size_t namelen, const std::uint8_t* value, std::size_t valuelen, std::uint8_t,
              void* user) {
  if (frame->hd.type != NGHTTP2_HEADERS) return 0;
  auto* x = static_cast<Exchange*>(user);
  const std::string_view n(reinterpret_cast<const char*>(name), namelen);
  const std::string_view v(reinterpret_cast<const char*>(value), valuelen);
  if (n == ":status") x->status = v;
  if (n == "grpc-status") x->grpc_status = std::string(v);
  if (n == "grpc-message") x->grpc_message = shown(percent_unescape(v), 300);
  if (n == "content-type") x->content_type = shown(v, 100);
  return 0;
}

int on_data(nghttp2_session*, std::uint8_t, std::int32_t, const std::uint8_t* data, std::size_t len,
            void* user) {
  auto* x = static_cast<Exchange*>(user);
  const std::size_t room = kMaxBody - std::min(kMaxBody, x->body.size());
  x->body.append(reinterpret_cast<const char*>(data), std::min(room, len));
  x->body_truncated = x->body_truncated || len > room;
  return 0;
}

int on_close(nghttp2_session*, std::int32_t, std::uint32_t error_code, void* user) {
  auto* x = static_cast<Exchange*>(user);
  x->closed = true;
  x->reset = error_code;
  return 0;
}

ssize_t read_body(nghttp2_session*, std::int32_t, std::uint8_t* buf, std::size_t length,
                  std::uint32_t* flags, nghttp2_data_source*, void* user) {
  auto* x = static_cast<Exchange*>(user);
  const std::size_t n = std::min(length, x->request.size() - x->sent);
  std::copy_n(x->request.data() + x->sent, n, buf);
  x->sent += n;
  if (x->sent == x->request.size()) *flags |= NGHTTP2_DATA_FLAG_EOF;
  return static_cast<ssize_t>(n);
}

struct SessionFree {
  void operator()(nghttp2_session* s) const { nghttp2_session_del(s); }
};
struct CallbacksFree {
  void operator()(nghttp2_session_callbacks* c) const { nghttp2_session_callbacks_del(c); }
};

std::string status_name(std::string_view code) {
  unsigned n = 0;
  for (const char c : code) {
    if (c < '0' || c > '9' || n > 100) return fmt::format("status '{}'", shown(code, 10));
    n = n * 10 + static_cast<unsigned>(c - '0');
  }
  return n < kStatus.size() ? std::string(kStatus[n]) : fmt::format("status {}", n);
}

// The verdict on a finished exchange.
std::pair<bool, std::string> judge(const Exchange& x) {
  if (x.status != "200")
    return {false, x.status.empty()
                       ? std::string("no HTTP/2 response headers")
                       : fmt::format("HTTP status {} (not a gRPC server?)", shown(x.status, 10))};
  if (!x.grpc_status)
    return {false, x.reset != 0 ? fmt::format("stream reset by the server ({})",
                                              nghttp2_http2_strerror(x.reset))
                                : std::string("no grpc-status in the answer (not a gRPC server?)")};
  if (*x.grpc_status != "0") {
    std::string why = status_name(*x.grpc_status);
    if (why == "UNIMPLEMENTED") why += ": the server has no grpc.health.v1.Health service";
    if (why == "NOT_FOUND") why += ": the server does not know this service";
    return {false, x.grpc_message.empty() ? why : fmt::format("{} ({})", why, x.grpc_message)};
  }
  if (x.body_truncated) return {false, "a health answer over 64 KiB"};
  const auto serving = grpc_serving_status(x.body);
  if (!serving) return {false, "a malformed HealthCheckResponse"};
  const std::string name = *serving < kServing.size() ? std::string(kServing[*serving])
                                                      : fmt::format("status {}", *serving);
  return {*serving == 1, name};
}

class GrpcProbe final : public Probe {
 public:
  GrpcProbe(Url url, TlsConnect tls) : url_(std::move(url)), tls_(tls) {
    service_ = url_.target.size() > 1 ? url_.target.substr(1) : "";
  }

  Result run(const Settings& settings) override {
    const auto start = std::chrono::steady_clock::now();
    Result r{false, url_.display(), "", {}};
    r.url = r.target;
    std::tie(r.healthy, r.detail) = exchange(settings);
    r.elapsed = std::chrono::steady_clock::now() - start;
    return r;
  }

 private:
  std::pair<bool, std::string> exchange(const Settings& settings) {
    std::string error;
    const bool tls = url_.scheme == "grpcs";
    const auto connection = Connection::open(url_, settings, tls_, tls, true, error);
    if (!connection) return {false, error};
    return grpc_health_check(connection->stream(), tls, url_.host_header(), service_,
                             settings.timeout);
  }

  Url url_;
  TlsConnect tls_;
  std::string service_;
};

}  // namespace

std::pair<bool, std::string> grpc_health_check(ByteStream& stream, bool tls,
                                               const std::string& authority,
                                               std::string_view service,
                                               std::chrono::milliseconds timeout) {
  Exchange x;
  x.request = grpc_health_request(service);
  nghttp2_session_callbacks* raw_callbacks = nullptr;
  if (nghttp2_session_callbacks_new(&raw_callbacks) != 0) return {false, "out of memory"};
  const std::unique_ptr<nghttp2_session_callbacks, CallbacksFree> callbacks(raw_callbacks);
  nghttp2_session_callbacks_set_send_callback(raw_callbacks, on_send);
  nghttp2_session_callbacks_set_on_header_callback(raw_callbacks, on_header);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(raw_callbacks, on_data);
  nghttp2_session_callbacks_set_on_stream_close_callback(raw_callbacks, on_close);
  nghttp2_session* raw_session = nullptr;
  if (nghttp2_session_client_new(&raw_session, raw_callbacks, &x) != 0)
    return {false, "out of memory"};
  const std::unique_ptr<nghttp2_session, SessionFree> session(raw_session);

  const std::string scheme = tls ? "https" : "http";
  const std::array<nghttp2_nv, 7> headers{
      header(":method", "POST"),
      header(":scheme", scheme),
      header(":path", kPath),
      header(":authority", authority),
      header("content-type", "application/grpc"),
      header("te", "trailers"),
      header("user-agent", "ballast-healthcheck/" BALLAST_VERSION)};
  nghttp2_data_provider body{};
  body.read_callback = read_body;
  nghttp2_submit_settings(raw_session, NGHTTP2_FLAG_NONE, nullptr, 0);
  if (nghttp2_submit_request(raw_session, nullptr, headers.data(), headers.size(), &body, nullptr) <
      0)
    return {false, "cannot build the HTTP/2 request"};

  boost::system::error_code ec;
  while (!x.closed) {
    // Everything nghttp2 has to say (preface, SETTINGS, HEADERS, DATA, ACKs) in one write.
    if (const int rc = nghttp2_session_send(raw_session); rc != 0)
      return {false, fmt::format("HTTP/2: {}", nghttp2_strerror(rc))};
    if (!x.out.empty()) {
      if (!write_all(stream, x.out, ec)) return {false, io_failure(ec, timeout, "request")};
      x.out.clear();
    }
    if (x.closed) break;
    if (nghttp2_session_want_read(raw_session) == 0)
      return {false, "the server ended the HTTP/2 connection (GOAWAY) before answering"};
    char buf[16384];
    const std::size_t n = stream.read(buf, sizeof buf, ec);
    if (ec) return {false, io_failure(ec, timeout, "response")};
    if (n == 0)
      return {false, !tls && x.status.empty()
                         ? "connection closed before the answer (a TLS port? use grpcs://)"
                         : "connection closed before the answer"};
    const auto used =
        nghttp2_session_mem_recv(raw_session, reinterpret_cast<const std::uint8_t*>(buf), n);
    if (used < 0)
      return {false, fmt::format("not an HTTP/2 gRPC server ({})",
                                 nghttp2_strerror(static_cast<int>(used)))};
  }
  return judge(x);
}

// The two protobuf messages are one field each: encoded and decoded here rather than through
// libprotobuf, which would weigh more than the rest of healthcheck for a string and an enum.
std::string grpc_health_request(std::string_view service) {
  std::string proto;
  if (!service.empty()) {
    proto += '\x0a';  // field 1 (service), wire type 2 (length-delimited)
    for (std::size_t n = service.size();; n >>= 7) {
      proto += static_cast<char>((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
      if (n <= 0x7f) break;
    }
    proto += service;
  }
  std::string out(1, '\0');  // not compressed
  append_be32(out, static_cast<std::uint32_t>(proto.size()));
  return out + proto;
}

std::optional<std::uint64_t> grpc_serving_status(std::string_view message) {
  if (message.size() < 5 || message[0] != '\0') return std::nullopt;  // compressed or short
  const std::uint32_t length = read_be32(message.data() + 1);
  std::string_view p = message.substr(5);
  if (p.size() != length) return std::nullopt;
  const auto varint = [&p]() -> std::optional<std::uint64_t> {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64 && !p.empty(); shift += 7) {
      const auto b = static_cast<unsigned char>(p.front());
      p.remove_prefix(1);
      v |= std::uint64_t{b & 0x7fU} << shift;
      if ((b & 0x80) == 0) return v;
    }
    return std::nullopt;
  };
  std::uint64_t status = 0;  // proto3: a field left out is its zero value, UNKNOWN
  while (!p.empty()) {
    const auto key = varint();
    if (!key) return std::nullopt;
    const std::uint64_t field = *key >> 3;
    switch (*key & 7) {
      case 0: {
        const auto v = varint();
        if (!v) return std::nullopt;
        if (field == 1) status = *v;
        break;
      }
      case 1:
      case 5: {
        const std::size_t size = (*key & 7) == 1 ? 8 : 4;
        if (p.size() < size) return std::nullopt;
        p.remove_prefix(size);
        break;
      }
      case 2: {
        const auto size = varint();
        if (!size || *size > p.size()) return std::nullopt;
        p.remove_prefix(static_cast<std::size_t>(*size));
        break;
      }
      default:
        return std::nullopt;
    }
  }
  return status;
}

std::unique_ptr<Probe> make_grpc_probe(const Url& url, TlsConnect tls) {
  if (url.scheme == "grpcs" && tls == nullptr)
    throw UsageError(fmt::format("{}: this binary has no TLS", url.display()));
  if (!url.userinfo.empty())
    throw UsageError(fmt::format("credentials in the URL '{}' are not sent", url.display()));
  return std::make_unique<GrpcProbe>(url, tls);
}

}  // namespace ballast::probe
