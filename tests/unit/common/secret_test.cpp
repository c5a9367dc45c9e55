#include "common/secret.hpp"

#include <catch2/catch.hpp>

namespace secret = ballast::secret;

TEST_CASE("mask: shows length, and the first two characters only of long values",
          "[common][secret]") {
  CHECK(secret::mask("") == "(empty)");
  CHECK(secret::mask("hunter2") == "****** (7 chars)");
  CHECK(secret::mask("abcdefghijklmnopqrstuvwxyz012345") == "ab****** (32 chars)");
}

TEST_CASE("mask_known: every registered value is masked wherever it appears", "[common][secret]") {
  secret::register_value("s3cr3t-value-for-test");
  secret::register_value("abc");  // too short to register
  const auto out = secret::mask_known("a s3cr3t-value-for-test and s3cr3t-value-for-test, abc");
  CHECK(out.find("s3cr3t-value-for-test") == std::string::npos);
  CHECK(out == "a s3****** (21 chars) and s3****** (21 chars), abc");
}

TEST_CASE("redact_url: hides the password of a URL and password query values", "[common][secret]") {
  CHECK(secret::redact_url("postgres://app:hunter2@db:5432/app") ==
        "postgres://app:****@db:5432/app");
  CHECK(secret::redact_url("postgres://app@db/app") == "postgres://app@db/app");
  CHECK(secret::redact_url("postgres://db/app?user=x&password=hunter2&sslmode=require") ==
        "postgres://db/app?user=x&password=****&sslmode=require");
  CHECK(secret::redact_url("postgres://a:p%40ss@h/d?sslpassword=k") ==
        "postgres://a:****@h/d?sslpassword=****");
  CHECK(secret::redact_url("sqlite:./data/app.sqlite3") == "sqlite:./data/app.sqlite3");
}
