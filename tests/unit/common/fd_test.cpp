#include "common/fd.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <cstdlib>

TEST_CASE("Fd: closes on destruction, moves ownership, opens with O_CLOEXEC", "[common][fd]") {
  std::error_code ec;
  int raw = -1;
  {
    ballast::Fd fd = ballast::open_fd("/dev/null", O_RDONLY, ec);
    REQUIRE(fd);
    CHECK((::fcntl(fd.get(), F_GETFD) & FD_CLOEXEC) != 0);
    ballast::Fd moved = std::move(fd);
    CHECK_FALSE(fd.valid());
    raw = moved.get();
    CHECK(::fcntl(raw, F_GETFD) != -1);
  }
  CHECK(::fcntl(raw, F_GETFD) == -1);
}

TEST_CASE("open_fd: reports errno through the error_code", "[common][fd]") {
  std::error_code ec;
  ballast::Fd fd = ballast::open_fd("/nonexistent/x", O_RDONLY, ec);
  CHECK_FALSE(fd);
  CHECK(ec == std::errc::no_such_file_or_directory);
}

TEST_CASE("write_file_atomic then read_file round-trips bytes exactly", "[common][fd]") {
  char dir[] = "/tmp/ballast-fd-XXXXXX";
  REQUIRE(::mkdtemp(dir) != nullptr);
  const std::string path = std::string(dir) + "/f";
  const std::string data("a\0b\r\nc", 6);
  ballast::write_file_atomic(path, data);
  CHECK(ballast::read_file(path) == data);
  CHECK_THROWS_AS(ballast::read_file(std::string(dir) + "/missing"), std::system_error);
  ::unlink(path.c_str());
  ::rmdir(dir);
}
