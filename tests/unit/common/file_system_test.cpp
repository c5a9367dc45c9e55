#include "common/file_system.hpp"

#include <stdlib.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <string_view>
#include <system_error>

#include "support/temp_dir.hpp"

using ballast::list_directory;
using ballast::real_file_system;

TEST_CASE("list_directory: sorted names, through a symlinked folder, ENOENT when missing",
          "[common][file_system]") {
  char tmpl[] = "/tmp/ballast-unit.XXXXXX";
  const std::string root = ::mkdtemp(tmpl);
  std::filesystem::create_directories(root + "/real/sub");
  for (const char* n : {"b.sql", "a.sql", ".hidden"}) std::ofstream(root + "/real/" + n) << "x";
  std::filesystem::create_directory_symlink(root + "/real", root + "/link");
  const std::vector<std::string> want{".hidden", "a.sql", "b.sql", "sub"};
  CHECK(list_directory(real_file_system(), root + "/real") == want);
  CHECK(list_directory(real_file_system(), root + "/link") == want);
  try {
    list_directory(real_file_system(), root + "/missing");
    FAIL("no error");
  } catch (const std::system_error& e) {
    CHECK(e.code() == std::errc::no_such_file_or_directory);
    CHECK(std::string(e.what()).find(root + "/missing") != std::string::npos);
  }
  std::filesystem::remove_all(root);
}

TEST_CASE("for_each_name: every name once, more than one buffer's worth, ENOENT when missing",
          "[common][file_system]") {
  ballast::testing::TempDir dir;
  // Long names: 2,000 of them fill the 32 KiB getdents buffer several times over.
  std::set<std::string> want;
  for (int i = 0; i < 2000; ++i) {
    const std::string name = std::to_string(i) + std::string(40, 'x') + ".sql";
    dir.write(name, "x");
    want.insert(name);
  }
  std::set<std::string> seen;
  std::size_t calls = 0;
  ballast::for_each_name(dir.path(), [&](std::string_view n) {
    ++calls;
    seen.insert(std::string(n));
  });
  CHECK(calls == want.size());  // "." and ".." are not names
  CHECK(seen == want);
  try {
    ballast::for_each_name(dir.path() + "/missing", [](std::string_view) {});
    FAIL("no error");
  } catch (const std::system_error& e) {
    CHECK(e.code() == std::errc::no_such_file_or_directory);
  }
}
