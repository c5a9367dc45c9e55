#pragma once

#include <boost/system/error_code.hpp>
#include <string>

#include "common/net/probe.hpp"
#include "common/net/socket.hpp"

// Reading and judging one HTTP/1.x response, apart from sockets and TLS: the probe hands in
// its connection, the fuzz harness an in-memory stream.
namespace ballast::probe {

struct HttpResponse {
  unsigned status = 0;
  std::string body;        // at most kMaxBody bytes
  bool truncated = false;  // the body was longer: judged on what arrived
};

// Reads one response from `stream` (after a HEAD request: no body) within the header limit
// and kMaxBody. Returns the error that stopped it (none when a whole response arrived, or when
// only the body was over the limit: then `out.truncated`).
boost::system::error_code read_http_response(ByteStream& stream, bool head, HttpResponse& out);

// Judges a response against the expectations: true when healthy. `detail` says why
// ("-> 200", "-> 503 (expected 200-399)", "-> 200, /status is \"down\", expected ...").
bool judge_http_response(const HttpResponse& response, const HttpSettings& settings,
                         std::string& detail);

}  // namespace ballast::probe
