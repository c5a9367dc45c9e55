// A Redis server's replies to healthcheck's pipelined AUTH/SELECT/PING, in pieces of a fuzzed
// size: the RESP reader either finds every reply or names the server as not Redis, within 64
// KiB and eight levels of nesting, with one verdict line of bounded size.
//
// Input: byte 0 = piece size, byte 1 = how many replies are expected (1 to 3), then the bytes.
#include "common/net/probe_redis.hpp"
#include "fuzz.hpp"
#include "memory_stream.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ballast;
  if (size < 2) return 0;
  const std::size_t piece = 1 + data[0];
  const std::size_t count = 1 + data[1] % 3;
  fuzz::MemoryStream stream(fuzz::as_text(data + 2, size - 2), piece);
  const auto answer = probe::read_redis_replies(stream, count, std::chrono::milliseconds(1000));
  FUZZ_CHECK(!answer.detail.empty());
  FUZZ_CHECK(answer.detail.size() <= 4096);
  for (const char c : answer.detail) FUZZ_CHECK(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f);
  if (answer.healthy) FUZZ_CHECK(answer.detail == "PONG");
  return 0;
}
