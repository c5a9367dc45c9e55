#include "common/tls/pg_auth.hpp"

#include <catch2/catch.hpp>

using namespace ballast;

namespace {

std::string mechanisms(std::string_view list) { return std::string(list) + '\0'; }

// The client nonce from a SASLInitialResponse payload ("SCRAM-SHA-256\0" len "n,,n=,r=NONCE").
std::string nonce_of(const std::string& initial) {
  const auto at = initial.find("r=");
  REQUIRE(at != std::string::npos);
  return initial.substr(at + 2);
}

}  // namespace

TEST_CASE("md5 answers md5(md5(password + user) + salt) in hex", "[pg_auth]") {
  std::string error;
  const auto reply = start_pg_auth("app", "pencil")->answer(5, "salt", error);
  REQUIRE(reply);
  // Computed independently: python3 hashlib over the same inputs.
  CHECK(*reply == std::string("md52afb5b311168c70c7e1783b3f1da0ac3") + '\0');
}

TEST_CASE("cleartext answers the password itself", "[pg_auth]") {
  std::string error;
  CHECK(start_pg_auth("app", "pencil")->answer(3, "", error) == std::string("pencil") + '\0');
}

TEST_CASE("scram starts without channel binding and refuses a challenge with another nonce",
          "[pg_auth]") {
  auto auth = start_pg_auth("app", "pencil");
  std::string error;
  const auto initial = auth->answer(
      10, mechanisms("SCRAM-SHA-256-PLUS") + mechanisms("SCRAM-SHA-256") + '\0', error);
  REQUIRE(initial);
  CHECK(initial->starts_with(std::string("SCRAM-SHA-256") + '\0'));
  CHECK(initial->find("n,,n=,r=") != std::string::npos);
  CHECK_FALSE(auth->answer(11, "r=someone-else,s=QUJD,i=4096", error));
  CHECK(error == "a malformed SCRAM challenge");
}

TEST_CASE("scram refuses a server signature that does not match", "[pg_auth]") {
  auto auth = start_pg_auth("app", "pencil");
  std::string error;
  const auto nonce = nonce_of(*auth->answer(10, mechanisms("SCRAM-SHA-256") + '\0', error));
  const auto final_message = auth->answer(11, "r=" + nonce + "srv,s=QUJD,i=4096", error);
  REQUIRE(final_message);
  CHECK(final_message->starts_with("c=biws,r=" + nonce + "srv,p="));
  CHECK_FALSE(auth->answer(12, "v=AAAA", error));
  CHECK(error.find("signature does not match") != std::string::npos);
}

TEST_CASE("scram refuses an iteration count that would burn the probe's CPU", "[pg_auth]") {
  auto auth = start_pg_auth("app", "pencil");
  std::string error;
  const auto nonce = nonce_of(*auth->answer(10, mechanisms("SCRAM-SHA-256") + '\0', error));
  CHECK_FALSE(auth->answer(11, "r=" + nonce + "x,s=QUJD,i=999999999", error));
  CHECK(error.find("iteration count") != std::string::npos);
  CHECK_FALSE(auth->answer(11, "r=" + nonce + "x,s=@@@,i=4096", error));
}

TEST_CASE("methods the client does not speak are named", "[pg_auth]") {
  std::string error;
  CHECK_FALSE(start_pg_auth("app", "pw")->answer(7, "", error));
  CHECK(error.find("GSSAPI") != std::string::npos);
  CHECK_FALSE(start_pg_auth("app", "pw")->answer(10, mechanisms("OAUTHBEARER") + '\0', error));
  CHECK(error.find("OAUTHBEARER") != std::string::npos);
}
