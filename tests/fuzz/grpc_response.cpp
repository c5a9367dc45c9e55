// A gRPC server's side of one Health/Check call, through nghttp2 and the health answer's
// protobuf reader, in pieces of a fuzzed size: whatever the server sends, one verdict line of
// bounded size, and healthy only on SERVING. The seeds are a real grpcio server's answers.
//
// Input: byte 0 = piece size, byte 1 = flags (bit 0: as over TLS), then the server's bytes.
#include "common/grpc/probe_grpc.hpp"
#include "fuzz.hpp"
#include "memory_stream.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ballast;
  if (size < 2) return 0;
  const std::size_t piece = 1 + data[0];
  const bool tls = (data[1] & 1) != 0;
  const std::string_view bytes = fuzz::as_text(data + 2, size - 2);
  // The protobuf reader alone, on the same bytes.
  if (const auto status = probe::grpc_serving_status(bytes)) FUZZ_CHECK(bytes.size() >= 5);
  fuzz::MemoryStream stream(bytes, piece);
  const auto [healthy, detail] =
      probe::grpc_health_check(stream, tls, "127.0.0.1:50051", "", std::chrono::milliseconds(1000));
  FUZZ_CHECK(!detail.empty());
  FUZZ_CHECK(detail.size() <= 4096);
  for (const char c : detail) FUZZ_CHECK(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f);
  if (healthy) FUZZ_CHECK(detail == "SERVING");
  return 0;
}
