#include "entrypoint/chown_tree.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

#include "fakes/fake_file_system.hpp"

using ballast::entrypoint::chown_tree;
using ballast::entrypoint::ChownOptions;
using ballast::testing::FakeFileSystem;

namespace {

ChownOptions to_app() {
  ChownOptions o;
  o.uid = 1001;
  o.gid = 1001;
  return o;
}

bool called(const FakeFileSystem& fs, const std::string& call) {
  return std::find(fs.calls.begin(), fs.calls.end(), call) != fs.calls.end();
}

std::size_t count_prefix(const FakeFileSystem& fs, const std::string& prefix) {
  return static_cast<std::size_t>(
      std::count_if(fs.calls.begin(), fs.calls.end(),
                    [&](const std::string& c) { return c.rfind(prefix, 0) == 0; }));
}

}  // namespace

TEST_CASE("chown_tree: changes only entries whose owner differs", "[entrypoint][chown]") {
  FakeFileSystem fs;
  fs.dir("/data");
  fs.file("/data/a");
  fs.file("/data/b", 1001);
  fs.dir("/data/sub", 1001);
  fs.file("/data/sub/c");
  const auto r = chown_tree(fs, "/data", to_app());
  CHECK(r.examined == 5);
  CHECK(r.changed == 3);
  CHECK(called(fs, "chown /data 1001:1001"));
  CHECK(called(fs, "chown /data/a 1001:1001"));
  CHECK(called(fs, "chown /data/sub/c 1001:1001"));
  CHECK_FALSE(called(fs, "chown /data/b 1001:1001"));
  CHECK_FALSE(called(fs, "chown /data/sub 1001:1001"));
}

TEST_CASE("chown_tree: an already-owned tree makes no chown call at all", "[entrypoint][chown]") {
  FakeFileSystem fs;
  fs.dir("/data", 1001);
  for (int i = 0; i < 50; ++i) fs.file("/data/f" + std::to_string(i), 1001);
  const auto r = chown_tree(fs, "/data", to_app());
  CHECK(r.examined == 51);
  CHECK(r.changed == 0);
  CHECK(count_prefix(fs, "chown ") == 0);
}

TEST_CASE("chown_tree: a symlink is changed itself, never followed", "[entrypoint][chown]") {
  // The fake has no link targets to follow; what it can tell is that the walk only ever
  // names paths below /data and never opens a link as a directory. (Real links to /etc/shadow
  // are it.entrypoint.chown_gives_the_tree_and_nothing_outside_it.)
  FakeFileSystem fs;
  fs.dir("/etc");
  fs.file("/etc/shadow");
  fs.dir("/data", 1001);
  fs.add("/data/link", S_IFLNK | 0777);
  fs.add("/data/dirlink", S_IFLNK | 0777);
  chown_tree(fs, "/data", to_app());
  CHECK(called(fs, "chown /data/link 1001:1001"));
  CHECK_FALSE(called(fs, "open /data/dirlink"));
  for (const auto& call : fs.calls) {
    INFO(call);
    CHECK(call.find(" /data") != std::string::npos);
  }
}

TEST_CASE("chown_tree: a file with several hard links is skipped with a warning naming it",
          "[entrypoint][chown]") {
  FakeFileSystem fs;
  fs.dir("/data", 1001);
  fs.file("/data/shadow-link").nlink = 2;
  const auto r = chown_tree(fs, "/data", to_app());
  CHECK(r.skipped == 1);
  CHECK(count_prefix(fs, "chown ") == 0);
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0].find("/data/shadow-link has 2 hard links") != std::string::npos);
}

TEST_CASE("chown_tree: another mount below the path is left alone unless asked",
          "[entrypoint][chown]") {
  FakeFileSystem fs;
  fs.dir("/data", 1001);
  auto& mnt = fs.dir("/data/mnt");
  mnt.mount_id = 2;
  fs.file("/data/mnt/x").mount_id = 2;
  const auto r = chown_tree(fs, "/data", to_app());
  CHECK(r.skipped == 1);
  CHECK_FALSE(called(fs, "open /data/mnt"));
  CHECK(count_prefix(fs, "chown ") == 0);

  auto o = to_app();
  o.cross_mounts = true;
  chown_tree(fs, "/data", o);
  CHECK(called(fs, "chown /data/mnt/x 1001:1001"));
}

TEST_CASE("chown_tree: a read-only filesystem gives one warning and stops", "[entrypoint][chown]") {
  FakeFileSystem fs;
  fs.dir("/data");
  for (int i = 0; i < 10; ++i) fs.file("/data/f" + std::to_string(i));
  fs.read_only = true;
  const auto r = chown_tree(fs, "/data", to_app());
  CHECK(count_prefix(fs, "chown ") == 1);
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0].find("Read-only file system") != std::string::npos);
}

TEST_CASE("chown_tree: a missing path is created and given to the user", "[entrypoint][chown]") {
  FakeFileSystem fs;
  fs.dir("/var");
  const auto r = chown_tree(fs, "/var/lib/app", to_app());
  CHECK(r.created);
  CHECK(called(fs, "mkdir /var/lib"));
  CHECK(called(fs, "mkdir /var/lib/app"));
  CHECK(fs.find("/var/lib/app")->uid == 1001);
  CHECK(fs.find("/var/lib")->uid == 0);
  CHECK((fs.find("/var/lib/app")->mode & 0777) == 0750);

  FakeFileSystem fs2;
  auto o = to_app();
  o.make_missing = false;
  CHECK_THROWS_AS(chown_tree(fs2, "/nope", o), std::system_error);
}

TEST_CASE("chown_tree: a symlink given as the path itself is refused", "[entrypoint][chown]") {
  FakeFileSystem fs;
  fs.add("/data", S_IFLNK | 0777);
  const auto r = chown_tree(fs, "/data", to_app());
  CHECK(count_prefix(fs, "chown ") == 0);
  CHECK(count_prefix(fs, "open ") == 0);
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0].find("is a symlink") != std::string::npos);
}

TEST_CASE("chown_tree: deep chains are walked to the bottom", "[entrypoint][chown]") {
  FakeFileSystem fs;
  std::string p = "/data";
  fs.dir(p);
  for (int i = 0; i < 200; ++i) {
    p += "/d";
    fs.dir(p);
  }
  const auto r = chown_tree(fs, "/data", to_app());
  CHECK(r.changed == 201);
  CHECK(fs.find(p)->uid == 1001);
}

TEST_CASE("chown_tree: four walkers give every entry exactly once, as one walker does",
          "[entrypoint][chown]") {
  // 20 directories of 10 subdirectories of 10 files: enough work queued for all four threads.
  const auto build = [](FakeFileSystem& fs) {
    fs.dir("/data");
    for (int a = 0; a < 20; ++a) {
      const std::string da = "/data/d" + std::to_string(a);
      fs.dir(da);
      for (int b = 0; b < 10; ++b) {
        const std::string db = da + "/s" + std::to_string(b);
        fs.dir(db, b % 2 == 0 ? 1001 : 0);  // half already owned
        for (int c = 0; c < 10; ++c) fs.file(db + "/f" + std::to_string(c), c % 3 == 0 ? 1001 : 0);
      }
    }
  };
  FakeFileSystem one;
  build(one);
  const auto serial = chown_tree(one, "/data", to_app());
  FakeFileSystem four;
  build(four);
  auto o = to_app();
  o.threads = 4;
  const auto parallel = chown_tree(four, "/data", o);
  CHECK(parallel.examined == 1 + 20 + 200 + 2000);  // /data itself too
  CHECK(parallel.examined == serial.examined);
  CHECK(parallel.changed == serial.changed);
  CHECK(parallel.skipped == 0);
  // Each entry that needed it was changed once, none twice.
  CHECK(count_prefix(four, "chown ") == parallel.changed);
  std::vector<std::string> chowns;
  for (const auto& c : four.calls)
    if (c.rfind("chown ", 0) == 0) chowns.push_back(c);
  std::sort(chowns.begin(), chowns.end());
  CHECK(std::adjacent_find(chowns.begin(), chowns.end()) == chowns.end());
  CHECK(four.find("/data/d19/s9/f9")->uid == 1001);
  CHECK(four.find("/data/d0/s1")->gid == 1001);
}
