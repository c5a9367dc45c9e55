#include "common/net/url.hpp"

#include "common/parse.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <iterator>

#include "common/error.hpp"
#include "common/secret.hpp"
#include "common/text.hpp"

namespace ballast {
namespace {

std::string_view default_port(std::string_view scheme) {
  if (scheme == "http") return "80";
  if (scheme == "https") return "443";
  if (scheme == "redis" || scheme == "rediss") return "6379";
  if (scheme == "grpcs") return "443";
  return "";
}

}  // namespace

std::string Url::display() const {
  if (scheme == "unix" || scheme == "file") return fmt::format("{}://{}", scheme, target);
  const bool v6 = host.find(':') != std::string::npos;
  const std::string h = v6 ? "[" + host + "]" : host;
  const bool show_port = port != default_port(scheme);
  const bool show_target = scheme.starts_with("http") || target != "/";
  return fmt::format("{}://{}{}{}{}", scheme, h, show_port ? ":" : "", show_port ? port : "",
                     scheme == "tcp" || !show_target ? "" : target);
}

std::string Url::host_header() const {
  const bool v6 = host.find(':') != std::string::npos;
  const std::string h = v6 ? "[" + host + "]" : host;
  return port == default_port(scheme) ? h : h + ":" + port;
}

bool is_ip_literal(std::string_view host) {
  const std::string h(host);
  unsigned char buf[16];
  return inet_pton(AF_INET, h.c_str(), buf) == 1 || inet_pton(AF_INET6, h.c_str(), buf) == 1;
}

Url parse_url(std::string_view text, std::string_view bare_scheme) {
  text = trim(text);
  const auto bad = [&](std::string_view why) {
    return UsageError(fmt::format("invalid target '{}': {}", shown(secret::redact_url(text)), why));
  };
  for (const char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if (b <= 0x20 || b == 0x7f)
      throw bad("it contains a space or control character: percent-encode it (%20)");
  }
  if (text.empty()) throw bad("empty");
  const auto sep = text.find("://");
  Url u;
  std::string_view rest;
  if (sep == std::string_view::npos) {
    if (text.front() == '/') throw bad("a path: use unix:///PATH or file:///PATH");
    u.scheme = std::string(bare_scheme);
    rest = text;
  } else {
    u.scheme = ascii_lower(text.substr(0, sep));
    rest = text.substr(sep + 3);
  }
  if (u.scheme == "unix" || u.scheme == "file") {
    if (rest.empty() || rest[0] != '/') throw bad("use an absolute path: " + u.scheme + ":///path");
    u.target = std::string(rest);
    return u;
  }
  static constexpr std::string_view kSchemes[] = {"http",   "https", "tcp",  "redis",
                                                  "rediss", "grpc",  "grpcs"};
  if (std::find(std::begin(kSchemes), std::end(kSchemes), u.scheme) == std::end(kSchemes))
    throw bad("unknown scheme '" + u.scheme +
              "' (use http, https, tcp, unix, file, redis, rediss, grpc, grpcs or a postgres:// "
              "URL)");
  const auto path_at = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, path_at);
  std::string_view path = path_at == std::string_view::npos ? "" : rest.substr(path_at);
  if (const auto hash = path.find('#'); hash != std::string_view::npos) path = path.substr(0, hash);
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    u.userinfo = std::string(authority.substr(0, at));
    authority = authority.substr(at + 1);
  }
  std::string_view port;
  if (authority.starts_with("[")) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) throw bad("unclosed '[' in the host");
    u.host = std::string(authority.substr(1, close - 1));
    const auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') throw bad("expected ':PORT' after the IPv6 address");
      port = after.substr(1);
    }
  } else {
    const auto colon = authority.rfind(':');
    u.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (u.host.empty()) throw bad("no host");
  if (port.empty()) {
    if (u.scheme == "tcp") throw bad("tcp:// needs a port: tcp://HOST:PORT");
    if (u.scheme == "grpc") throw bad("grpc:// needs a port: grpc://HOST:PORT[/SERVICE]");
    u.port = default_port(u.scheme);
  } else {
    const auto n = parse_uint(port, 1u, 65535u);
    if (!n) throw bad(fmt::format("bad port '{}'", port));
    u.port = std::to_string(*n);
  }
  if (u.scheme == "tcp") {
    if (!path.empty() && path != "/") throw bad("tcp:// takes no path");
  } else {
    u.target = path.empty() ? "/" : (path.front() == '/' ? "" : "/") + std::string(path);
  }
  return u;
}

}  // namespace ballast
