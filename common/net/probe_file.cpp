#include "common/net/probe_file.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "common/duration.hpp"

namespace ballast::probe {
namespace {

constexpr auto kFutureSkew = std::chrono::seconds(2);

class FileProbe final : public Probe {
 public:
  FileProbe(std::string target, std::string path)
      : target_(std::move(target)), path_(std::move(path)) {}

  Result run(const Settings& settings) override {
    const auto start = std::chrono::steady_clock::now();
    Result r{false, target_, "", {}};
    r.url = target_;
    struct stat st {};
    if (::stat(path_.c_str(), &st) != 0) {
      r.detail = fmt::format("cannot stat {}: {}", path_, std::strerror(errno));
    } else {
      using namespace std::chrono;
      const auto mtime = system_clock::time_point(duration_cast<system_clock::duration>(
          seconds(st.st_mtim.tv_sec) + nanoseconds(st.st_mtim.tv_nsec)));
      const auto age = system_clock::now() - mtime;
      if (age < -duration_cast<system_clock::duration>(kFutureSkew)) {
        r.detail = fmt::format("stale: modified {} in the future", format_duration(-age));
      } else if (age > settings.max_age) {
        r.detail = fmt::format("stale: modified {} ago (max {})", format_duration(age),
                               format_duration(settings.max_age));
      } else {
        r.healthy = true;
        r.detail = fmt::format("fresh: modified {} ago",
                               format_duration(age < age.zero() ? age.zero() : age));
      }
    }
    r.elapsed = std::chrono::steady_clock::now() - start;
    return r;
  }

 private:
  std::string target_;
  std::string path_;
};

}  // namespace

std::unique_ptr<Probe> make_file_probe(const Url& url) {
  return std::make_unique<FileProbe>(url.display(), url.target);
}

}  // namespace ballast::probe
