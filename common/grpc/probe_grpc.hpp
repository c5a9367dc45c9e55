#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "common/net/probe.hpp"
#include "common/net/socket.hpp"
#include "common/net/tls_connect.hpp"
#include "common/net/url.hpp"

namespace ballast::probe {

// grpc://HOST:PORT[/SERVICE] and grpcs:// (TLS with ALPN h2, through `tls`): the standard gRPC
// health checking protocol, grpc.health.v1.Health/Check for SERVICE ("" = the whole server),
// over HTTP/2 spoken by nghttp2. Healthy when the answer is SERVING; NOT_SERVING,
// SERVICE_UNKNOWN, a gRPC error status (UNIMPLEMENTED: no health service; NOT_FOUND: unknown
// service) and a server that does not answer in time are unhealthy, named.
// A ProbeStart for Links::grpc: healthcheck links nghttp2, entrypoint does not.
std::unique_ptr<Probe> make_grpc_probe(const Url& url, TlsConnect tls);

// One Health/Check call for `service` over a connected `stream` (TLS or not, as `tls` says),
// read to a verdict: {healthy, "SERVING" / "NOT_SERVING" / "UNIMPLEMENTED: ..."}. Never throws;
// at most 64 KiB of answer is kept.
std::pair<bool, std::string> grpc_health_check(ByteStream& stream, bool tls,
                                               const std::string& authority,
                                               std::string_view service,
                                               std::chrono::milliseconds timeout);

// grpc.health.v1.HealthCheckRequest{service} as a gRPC message (5-byte prefix, protobuf).
std::string grpc_health_request(std::string_view service);

// The ServingStatus of a grpc.health.v1.HealthCheckResponse gRPC message; nullopt when it is
// not one (truncated, compressed, malformed protobuf). A missing field is UNKNOWN (0).
std::optional<std::uint64_t> grpc_serving_status(std::string_view message);

}  // namespace ballast::probe
