#include "common/net/url.hpp"

#include <catch2/catch.hpp>

#include "common/error.hpp"

using ballast::parse_url;

TEST_CASE("parse_url: http with defaults, ports, paths and queries", "[common][url]") {
  auto u = parse_url("http://127.0.0.1:3000/api/health?full=1#frag");
  CHECK(u.scheme == "http");
  CHECK(u.host == "127.0.0.1");
  CHECK(u.port == "3000");
  CHECK(u.target == "/api/health?full=1");
  CHECK(u.display() == "http://127.0.0.1:3000/api/health?full=1");
  CHECK(u.host_header() == "127.0.0.1:3000");

  auto d = parse_url("HTTPS://example.com");
  CHECK(d.scheme == "https");
  CHECK(d.port == "443");
  CHECK(d.target == "/");
  CHECK(d.host_header() == "example.com");
  CHECK(parse_url("http://h?x=1").target == "/?x=1");
}

TEST_CASE("parse_url: IPv6 literals keep their brackets only where a URL needs them",
          "[common][url]") {
  auto u = parse_url("http://[::1]:8080/h");
  CHECK(u.host == "::1");
  CHECK(u.host_header() == "[::1]:8080");
  CHECK(u.display() == "http://[::1]:8080/h");
  CHECK(ballast::is_ip_literal("::1"));
  CHECK(ballast::is_ip_literal("10.0.0.1"));
  CHECK_FALSE(ballast::is_ip_literal("localhost"));
}

TEST_CASE("parse_url: tcp, unix and file targets", "[common][url]") {
  CHECK(parse_url("tcp://db:5432").display() == "tcp://db:5432");
  CHECK(parse_url("unix:///run/app.sock").target == "/run/app.sock");
  CHECK(parse_url("file:///run/beat").target == "/run/beat");
}

TEST_CASE("parse_url: credentials are kept apart and never displayed", "[common][url]") {
  auto u = parse_url("http://user:hunter2@h/x");
  CHECK(u.userinfo == "user:hunter2");
  CHECK(u.display().find("hunter2") == std::string::npos);
}

TEST_CASE("parse_url: malformed targets are usage errors", "[common][url]") {
  for (const char* bad :
       {"/var/run/x.sock", "ftp://h/", "http://h/a b", "http://h/x\r\nX: 1", "http://",
        "http://:80/", "http://h:0/", "http://h:65536/", "http://h:8x/", "tcp://db",
        "tcp://db:5432/x", "unix://relative", "file://", "http://[::1/"}) {
    INFO(bad);
    CHECK_THROWS_AS(parse_url(bad), ballast::UsageError);
  }
}

TEST_CASE("parse_url: a target without a scheme takes the caller's", "[common][url]") {
  const auto curl = parse_url("localhost:8080/api/health");
  CHECK(curl.scheme == "http");
  CHECK(curl.host == "localhost");
  CHECK(curl.port == "8080");
  CHECK(curl.target == "/api/health");
  const auto wait = parse_url("db:5432", "tcp");
  CHECK(wait.scheme == "tcp");
  CHECK(wait.port == "5432");
}

TEST_CASE("parse_url: a trailing CR or LF from an env file is not part of the target",
          "[common][url]") {
  CHECK(parse_url("http://h/health\r").target == "/health");
  CHECK(parse_url(" http://h/health\n").target == "/health");
}

TEST_CASE("redis URLs default to port 6379 and never show their password", "[url]") {
  const ballast::Url u = ballast::parse_url("redis://:pw@cache/2");
  CHECK(u.scheme == "redis");
  CHECK(u.port == "6379");
  CHECK(u.target == "/2");
  CHECK(u.userinfo == ":pw");
  CHECK(u.display() == "redis://cache/2");
  CHECK(ballast::parse_url("rediss://cache:6380").display() == "rediss://cache:6380");
}
