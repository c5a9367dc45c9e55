#include "common/file_system.hpp"

#include <stdlib.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <system_error>

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
