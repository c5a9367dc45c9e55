#include <catch2/catch.hpp>

#include "common/grpc/probe_grpc.hpp"

using namespace ballast::probe;

TEST_CASE("the health request is a gRPC message holding the service as protobuf field 1",
          "[grpc]") {
  CHECK(grpc_health_request("") == std::string("\0\0\0\0\0", 5));
  CHECK(grpc_health_request("app.Orders") == std::string("\0\0\0\0\x0c\x0a\x0a", 7) + "app.Orders");
  // A name of 200 bytes: the length is a two-byte varint.
  const std::string long_name(200, 'x');
  CHECK(grpc_health_request(long_name).substr(0, 8) == std::string("\0\0\0\0\xcb\x0a\xc8\x01", 8));
}

TEST_CASE("the health answer's status is read past unknown fields; absent means UNKNOWN",
          "[grpc]") {
  CHECK(grpc_serving_status(std::string("\0\0\0\0\x02\x08\x01", 7)) == 1u);
  CHECK(grpc_serving_status(std::string("\0\0\0\0\x00", 5)) == 0u);
  // An unknown string field 2 before the status, an unknown fixed32 field 3 after it.
  CHECK(grpc_serving_status(
            std::string("\0\0\0\0\x0b\x12\x02hi\x08\x02\x1d\x01\x02\x03\x04", 16)) == 2u);
  CHECK_FALSE(grpc_serving_status(std::string("\1\0\0\0\x02\x08\x01", 7)));  // compressed
  CHECK_FALSE(grpc_serving_status(std::string("\0\0\0\0\x03\x08\x01", 7)));  // short
  CHECK_FALSE(grpc_serving_status(std::string("\0\0\0\0\x01\x08", 6)));      // truncated varint
}
