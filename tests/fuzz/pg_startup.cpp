// A PostgreSQL server's answers to healthcheck's startup message: message framing, error
// fields, authentication requests answered by the real SCRAM-SHA-256/MD5 client (with a
// password) or left unanswered (without), in pieces of a fuzzed size. Whatever the server
// sends, the probe ends with one verdict line of bounded size.
//
// Input: byte 0 = piece size, byte 1 = flags (bit 0: a password is given), then the bytes.
#include "common/net/probe_postgres.hpp"
#include "common/tls/pg_auth.hpp"
#include "fuzz.hpp"
#include "memory_stream.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ballast;
  if (size < 2) return 0;
  const std::size_t piece = 1 + data[0];
  std::optional<std::string> password;
  if ((data[1] & 1) != 0) password = "pencil";
  fuzz::MemoryStream stream(fuzz::as_text(data + 2, size - 2), piece);
  const auto answer = probe::read_startup_answer(stream, "app", password, &start_pg_auth,
                                                 std::chrono::milliseconds(1000));
  FUZZ_CHECK(!answer.detail.empty());
  FUZZ_CHECK(answer.detail.size() <= 4096);
  for (const char c : answer.detail) FUZZ_CHECK(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f);
  return 0;
}
