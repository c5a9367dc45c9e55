#include <catch2/catch.hpp>

#include "common/net/probe_redis.hpp"

using namespace ballast::probe;

TEST_CASE("redis commands are RESP arrays, pipelined, binary-safe", "[redis]") {
  CHECK(redis_commands(std::nullopt, std::nullopt, 0) == "*1\r\n$4\r\nPING\r\n");
  CHECK(redis_commands(std::nullopt, std::string("a b\r\nc"), 3) ==
        "*2\r\n$4\r\nAUTH\r\n$6\r\na "
        "b\r\nc\r\n*2\r\n$6\r\nSELECT\r\n$1\r\n3\r\n*1\r\n$4\r\nPING\r\n");
  CHECK(redis_commands(std::string("probe"), std::string("pw"), 0) ==
        "*3\r\n$4\r\nAUTH\r\n$5\r\nprobe\r\n$2\r\npw\r\n*1\r\n$4\r\nPING\r\n");
  // An empty user (redis://:pw@host) is the default user.
  CHECK(redis_commands(std::string(), std::string("pw"), 0).starts_with("*2\r\n$4\r\nAUTH\r\n"));
}
