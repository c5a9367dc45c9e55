// HTTP responses as servers send them: the status-line repair, Beast's parser with the header
// and body limits, then the judgement against status ranges, a JSON expectation and a body
// text. The server's bytes arrive in pieces of a fuzzed size, as from a real socket.
//
// Input: byte 0 = piece size, byte 1 = flags (bit 0: HEAD), then a line
// "STATUS_RANGES\tJSON_EXPECTATION\tBODY_TEXT\n" (empty fields are not set), then the response.
#include "common/net/http_response.hpp"
#include "common/net/http_expect.hpp"
#include "fuzz.hpp"
#include "memory_stream.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ballast;
  using namespace ballast::probe;
  if (size < 2) return 0;
  const std::size_t piece = 1 + data[0];
  const bool head = (data[1] & 1) != 0;
  std::string_view text = fuzz::as_text(data + 2, size - 2);
  HttpSettings settings;
  if (const auto eol = text.find('\n'); eol != std::string_view::npos) {
    const auto spec = fuzz::fields(text.substr(0, eol), '\t');
    text.remove_prefix(eol + 1);
    const bool bad = fuzz::refused([&] {
      if (!spec[0].empty()) settings.status = parse_status_ranges(spec[0], "--status");
      if (spec.size() > 1 && !spec[1].empty())
        settings.expect_json.push_back(parse_json_expectation(spec[1], "--expect-json"));
      if (spec.size() > 2 && !spec[2].empty()) settings.expect_body = spec[2];
    });
    if (bad) return 0;
  }
  fuzz::MemoryStream stream(text, piece);
  HttpResponse response;
  const auto ec = read_http_response(stream, head, response);
  FUZZ_CHECK(response.body.size() <= kMaxBody);
  if (ec) return 0;
  FUZZ_CHECK(response.status <= 999);  // three digits, judged by the status ranges
  std::string detail;
  const bool healthy = judge_http_response(response, settings, detail);
  FUZZ_CHECK(!detail.empty());
  if (healthy) FUZZ_CHECK(settings.status.contains(response.status));
  return 0;
}
