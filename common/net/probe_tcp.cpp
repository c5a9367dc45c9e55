#include "common/net/probe_tcp.hpp"

#include "common/net/socket.hpp"

namespace ballast::probe {
namespace {

class ConnectProbe final : public Probe {
 public:
  explicit ConnectProbe(Url url) : url_(std::move(url)) {}

  Result run(const Settings& settings) override {
    const auto start = std::chrono::steady_clock::now();
    const Deadline deadline(settings.timeout);
    ConnectError error;
    Fd fd = url_.scheme == "unix" ? connect_unix(url_.target, deadline, error)
                                  : connect_tcp(url_.host, url_.port, deadline, error);
    Result r{fd.valid(), url_.display(), fd.valid() ? "connected" : error.message, {}};
    r.url = r.target;
    r.elapsed = std::chrono::steady_clock::now() - start;
    return r;
  }

 private:
  Url url_;
};

}  // namespace

std::unique_ptr<Probe> make_connect_probe(const Url& url) {
  return std::make_unique<ConnectProbe>(url);
}

}  // namespace ballast::probe
