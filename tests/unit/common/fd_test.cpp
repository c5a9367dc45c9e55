#include "common/fd.hpp"

#include <fcntl.h>
#include <sys/stat.h>
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

TEST_CASE("read_file: a FIFO, a device or a directory is refused at once, never waited on",
          "[common][fd]") {
  char dir[] = "/tmp/ballast-fd-XXXXXX";
  REQUIRE(::mkdtemp(dir) != nullptr);
  const std::string fifo = std::string(dir) + "/fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  // No writer ever opens the FIFO: a blocking open would hang this test.
  CHECK_THROWS_WITH(ballast::read_file(fifo),
                    "unable to read " + fifo + " (a FIFO, not a regular file): Invalid argument");
  CHECK_THROWS_WITH(ballast::read_file("/dev/zero"),
                    "unable to read /dev/zero (a character device, not a regular file): Invalid "
                    "argument");
  CHECK_THROWS_WITH(ballast::read_file(dir),
                    std::string("unable to read ") + dir + ": Is a directory");
  ::unlink(fifo.c_str());
  ::rmdir(dir);
}
