#include "common/build_info.hpp"

#include <fmt/format.h>
#include <gnu/libc-version.h>
#include <spdlog/version.h>

#include <boost/version.hpp>
#include <nlohmann/json_fwd.hpp>

#ifndef BALLAST_COMMIT
#define BALLAST_COMMIT "unknown"
#endif

namespace ballast {
namespace {

constexpr std::string_view architecture() {
#if defined(__x86_64__)
  return "x86_64";
#elif defined(__aarch64__)
  return "aarch64";
#else
  return "unknown";
#endif
}

}  // namespace

std::string build_info_text(std::string_view own) {
  const std::string common = fmt::format(
      "fmt {}.{}.{}, spdlog {}.{}.{}, nlohmann_json {}.{}.{}, glibc {}, libstdc++ {}",
      FMT_VERSION / 10000, FMT_VERSION / 100 % 100, FMT_VERSION % 100, SPDLOG_VER_MAJOR,
      SPDLOG_VER_MINOR, SPDLOG_VER_PATCH, NLOHMANN_JSON_VERSION_MAJOR, NLOHMANN_JSON_VERSION_MINOR,
      NLOHMANN_JSON_VERSION_PATCH, gnu_get_libc_version(), _GLIBCXX_RELEASE);
  return fmt::format("commit: {}\narchitecture: {}\nlibraries: {}{}{}\n", BALLAST_COMMIT,
                     architecture(), own, own.empty() ? "" : ", ", common);
}

std::string boost_version() {
  return fmt::format("{}.{}.{}", BOOST_VERSION / 100000, BOOST_VERSION / 100 % 1000,
                     BOOST_VERSION % 100);
}

}  // namespace ballast
