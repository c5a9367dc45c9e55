#include "entrypoint/file_secrets.hpp"

#include <catch2/catch.hpp>

#include <map>

#include "common/error.hpp"
#include "common/secret.hpp"

using namespace ballast;
using ballast::entrypoint::load_file_secrets;

namespace {

entrypoint::FileReader files(std::map<std::string, std::string> contents) {
  return [contents](const std::string& path) {
    const auto it = contents.find(path);
    if (it == contents.end())
      throw std::system_error(ENOENT, std::generic_category(), "unable to read " + path);
    return it->second;
  };
}

}  // namespace

TEST_CASE("load_file_secrets: NAME_FILE becomes NAME, one trailing newline stripped",
          "[entrypoint][secrets]") {
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

TEST_CASE("load_file_secrets: NAME and NAME_FILE both set is an error", "[entrypoint][secrets]") {
  Env env({{"X", "a"}, {"X_FILE", "/s"}});
  CHECK_THROWS_AS(load_file_secrets(env, files({{"/s", "b"}})), ConfigError);
}

TEST_CASE(
    "load_file_secrets: an unreadable file is an error naming the variable, never an empty secret",
    "[entrypoint][secrets]") {
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
          "[entrypoint][secrets]") {
  Env env({{"AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/token"},
           {"NIX_SSL_CERT_FILE", "/etc/ssl/ca.pem"},
           {"APP_CONFIG_FILE", "/etc/app.json"},
           {"_FILE", "/x"},
           {"SKIPPED_FILE", "/y"}});
  const auto loaded = load_file_secrets(env, files({}), {"SKIPPED_FILE"});
  CHECK(loaded.empty());
  CHECK(env.get("AWS_WEB_IDENTITY_TOKEN_FILE") == "/var/run/token");
}

TEST_CASE("load_file_secrets: a file larger than a secret is refused", "[entrypoint][secrets]") {
  Env env({{"BIG_FILE", "/big"}});
  CHECK_THROWS_AS(load_file_secrets(env, files({{"/big", std::string(70000, 'x')}})), ConfigError);
}
