#include "entrypoint/identity.hpp"

#include <catch2/catch.hpp>

#include "common/error.hpp"

using namespace ballast::entrypoint;

namespace {

UserDb image_db() {
  return UserDb{parse_passwd("root:x:0:0:root:/root:/bin/sh\n"
                             "app:x:1001:1001:App:/home/app:/bin/sh\n"
                             "# comment\n"
                             "broken line\n"
                             "nohome:x:1002:1002:::/bin/sh\n"
                             "0day:x:1003:1003::/d:/bin/sh\r\n"),
                parse_group("root:x:0:\n"
                            "app:x:1001:\n"
                            "audio:x:29:app,other\n"
                            "video:x:44:other,app\n"
                            "staff:x:50:\n")};
}

}  // namespace

TEST_CASE("resolve_user: a name gets its primary group and every group listing it",
          "[entrypoint][user]") {
  const auto id = resolve_user("app", image_db());
  CHECK(id.uid == 1001);
  CHECK(id.gid == 1001);
  CHECK(id.groups == std::vector<gid_t>{1001, 29, 44});
  CHECK(id.home == "/home/app");
  CHECK(id.name == "app");
}

TEST_CASE("resolve_user: an explicit group replaces the supplementary groups",
          "[entrypoint][user]") {
  const auto by_name = resolve_user("app:staff", image_db());
  CHECK(by_name.gid == 50);
  CHECK(by_name.groups == std::vector<gid_t>{50});
  const auto by_gid = resolve_user("app:4242", image_db());
  CHECK(by_gid.gid == 4242);
  CHECK(by_gid.groups == std::vector<gid_t>{4242});
  const auto uid_group = resolve_user("1001:audio", image_db());
  CHECK(uid_group.uid == 1001);
  CHECK(uid_group.gid == 29);
}

TEST_CASE("resolve_user: numeric uid with a passwd entry behaves like its name",
          "[entrypoint][user]") {
  const auto id = resolve_user("1001", image_db());
  CHECK(id.name == "app");
  CHECK(id.groups == std::vector<gid_t>{1001, 29, 44});
}

TEST_CASE("resolve_user: numeric uid with no passwd entry gets gid = uid, no root group",
          "[entrypoint][user]") {
  const auto id = resolve_user("4000", image_db());
  CHECK(id.uid == 4000);
  CHECK(id.gid == 4000);
  CHECK(id.groups == std::vector<gid_t>{4000});
  CHECK(id.home == "/");
  CHECK(id.name == "4000");
  CHECK(resolve_user("4000:0", image_db()).gid == 0);  // asked for explicitly: allowed
  CHECK(resolve_user("5000", UserDb{}).gid == 5000);   // no passwd at all
}

TEST_CASE("resolve_user: an empty home field gives /", "[entrypoint][user]") {
  CHECK(resolve_user("nohome", image_db()).home == "/");
}

TEST_CASE("resolve_user: partial numbers are names, and unknown names are errors, never root",
          "[entrypoint][user]") {
  CHECK(resolve_user("0day", image_db()).uid == 1003);  // a real user of that name
  for (const char* spec :
       {"1000x", "x1000", "nobody", "-1", "+5", " 1001", "4294967295", "99999999999"}) {
    INFO(spec);
    CHECK_THROWS_AS(resolve_user(spec, image_db()), ballast::ConfigError);
  }
  CHECK_THROWS_AS(resolve_user("app:nogroup", image_db()), ballast::ConfigError);
  CHECK_THROWS_AS(resolve_user("0day", UserDb{}), ballast::ConfigError);
}

TEST_CASE("resolve_user: malformed specs are usage errors", "[entrypoint][user]") {
  for (const char* spec : {"", ":", "app:", ":app", "a:b:c"}) {
    INFO(spec);
    CHECK_THROWS_AS(resolve_user(spec, image_db()), ballast::UsageError);
  }
}

TEST_CASE("parse_id: strict decimal ids only", "[entrypoint][user]") {
  CHECK(parse_id("0") == 0u);
  CHECK(parse_id("4294967294") == 4294967294u);
  CHECK_FALSE(parse_id("4294967295"));
  CHECK_FALSE(parse_id("12a"));
  CHECK_FALSE(parse_id(""));
}
