// Probe targets (healthcheck TARGET, entrypoint --wait): http(s)://, tcp://, unix://, file://,
// host:port. What parses can be put on the wire as it is: no control character or space in the
// request target or host (no request splitting), a port in 1-65535.
#include "common/net/url.hpp"
#include "common/parse.hpp"
#include "fuzz.hpp"

namespace {

bool clean(std::string_view s) {
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ballast;
  const auto text = fuzz::as_text(data, size);
  for (const char* bare : {"http", "tcp"}) {
    Url url;
    if (fuzz::refused([&] { url = parse_url(text, bare); })) continue;
    FUZZ_CHECK(!url.scheme.empty());
    if (url.scheme == "http" || url.scheme == "https") {
      FUZZ_CHECK(clean(url.target) && url.target.find(' ') == std::string::npos);
      FUZZ_CHECK(!url.target.empty());
      FUZZ_CHECK(clean(url.host_header()));
    }
    if (url.scheme == "http" || url.scheme == "https" || url.scheme == "tcp") {
      FUZZ_CHECK(clean(url.host) && !url.host.empty());
      FUZZ_CHECK(ballast::parse_uint(url.port, 1u, 65535u).has_value());
    }
    const std::string shown = url.display();
    if (const auto colon = url.userinfo.find(':'); colon != std::string::npos) {
      const std::string password = url.userinfo.substr(colon + 1);
      // A password of URL punctuation may be rebuilt by chance from the host and port.
      if (password.size() >= 6 && password.find_first_of(",:/@[]?&=%") == std::string::npos &&
          url.host.find(password) == std::string::npos &&
          url.target.find(password) == std::string::npos)
        FUZZ_CHECK(shown.find(password) == std::string::npos);
    }
    (void)is_ip_literal(url.host);
  }
  return 0;
}
