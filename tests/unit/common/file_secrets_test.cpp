#include "common/file_secrets.hpp"

#include <catch2/catch.hpp>

#include <map>

#include "common/error.hpp"
#include "common/secret.hpp"

using namespace ballast;
using ballast::load_file_secrets;

namespace {

FileReader files(const std::map<std::string, std::string>& contents) {
  return [contents](const std::string& path) {
    const auto it = contents.find(path);
    if (it == contents.end())
      throw std::system_error(ENOENT, std::generic_category(), "unable to read " + path);
    return it->second;
  };
}

}  // namespace

TEST_CASE("load_file_secrets: NAME_FILE becomes NAME, one trailing newline stripped",
          "[common][secrets]") {
  Env env({{"DB_PASSWORD_FILE", "/run/secrets/db"},
           {"API_KEY_FILE", "/run/secrets/api"},
           {"PATH", "/bin"}});
  const auto loaded = load_file_secrets(
      env, files({{"/run/secrets/db", "pw-one\n\n"}, {"/run/secrets/api", "key-two\r\n"}}));
  CHECK(loaded == std::vector<std::string>{"API_KEY", "DB_PASSWORD"});
  CHECK(env.get("DB_PASSWORD") == "pw-one\n");
  CHECK(env.get("API_KEY") == "key-two");
  CHECK_FALSE(env.get("DB_PASSWORD_FILE"));
  CHECK(env.get("PATH") == "/bin");
  CHECK(secret::mask_known("x pw-one\n y").find("pw-one") == std::string::npos);
}

TEST_CASE("load_file_secrets: NAME and NAME_FILE both set is an error", "[common][secrets]") {
  Env env({{"X", "a"}, {"X_FILE", "/s"}});
  CHECK_THROWS_AS(load_file_secrets(env, files({{"/s", "b"}})), ConfigError);
}

TEST_CASE(
    "load_file_secrets: an unreadable file is an error naming the variable, never an empty secret",
    "[common][secrets]") {
  Env env({{"JWT_SECRET_FILE", "/missing"}});
  try {
    load_file_secrets(env, files({}));
    FAIL("no error");
  } catch (const ConfigError& e) {
    CHECK(std::string(e.what()).rfind("JWT_SECRET_FILE: ", 0) == 0);
  }
  CHECK_FALSE(env.get("JWT_SECRET"));
}

TEST_CASE("load_file_secrets: file-path variables that are not secrets are left alone",
          "[common][secrets]") {
  Env env({{"AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/token"},
           {"NIX_SSL_CERT_FILE", "/etc/ssl/ca.pem"},
           {"APP_CONFIG_FILE", "/etc/app.json"},
           {"_FILE", "/x"},
           {"SKIPPED_FILE", "/y"}});
  const auto loaded = load_file_secrets(env, files({}), {"SKIPPED_FILE"});
  CHECK(loaded.empty());
  CHECK(env.get("AWS_WEB_IDENTITY_TOKEN_FILE") == "/var/run/token");
}

TEST_CASE("load_file_secrets: a file larger than a secret is refused", "[common][secrets]") {
  Env env({{"BIG_FILE", "/big"}});
  CHECK_THROWS_AS(load_file_secrets(env, files({{"/big", std::string(70000, 'x')}})), ConfigError);
}

TEST_CASE("load_file_secret: loads only the variable named, and only when it is set",
          "[common][secrets]") {
  Env env({{"DATABASE_URL_FILE", "/run/secrets/db"}, {"JWT_SECRET_FILE", "/nowhere"}});
  const auto read = files({{"/run/secrets/db", "postgres://app:pw@db/app\n"}});
  CHECK(ballast::load_file_secret(env, "DATABASE_URL_FILE", read) == "DATABASE_URL");
  CHECK(env.get("DATABASE_URL") == "postgres://app:pw@db/app");
  CHECK_FALSE(env.get("DATABASE_URL_FILE"));
  CHECK(env.get("JWT_SECRET_FILE") == "/nowhere");  // left alone, though unreadable
  CHECK_FALSE(ballast::load_file_secret(env, "OTHER_FILE", read));
}

TEST_CASE("load_file_secret: NAME already set is an error naming both", "[common][secrets]") {
  Env env({{"DATABASE_URL_FILE", "/run/secrets/db"}, {"DATABASE_URL", "sqlite:x"}});
  CHECK_THROWS_WITH(ballast::load_file_secret(env, "DATABASE_URL_FILE", files({})),
                    Catch::Contains("both DATABASE_URL and DATABASE_URL_FILE are set"));
}

TEST_CASE("load_file_secrets: an empty file (or only a newline) is refused, never NAME=\"\"",
          "[common][secrets]") {
  for (const char* text : {"", "\n", "\r\n"}) {
    Env env({{"JWT_SECRET_FILE", "/s"}});
    try {
      load_file_secrets(env, files({{"/s", text}}));
      FAIL("no error");
    } catch (const ConfigError& e) {
      CHECK(std::string(e.what()) ==
            "JWT_SECRET_FILE: /s is empty: write the secret into it, or "
            "unset JWT_SECRET_FILE");
    }
    CHECK_FALSE(env.get("JWT_SECRET"));
  }
}
