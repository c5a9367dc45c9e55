#pragma once

#include <string>
#include <system_error>

namespace ballast {

// A move-only owner of a file descriptor; closes it on destruction. -1 means "none".
class Fd {
 public:
  Fd() noexcept = default;
  explicit Fd(int fd) noexcept : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(other.release()) {}
  Fd& operator=(Fd&& other) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd();

  int get() const noexcept { return fd_; }
  bool valid() const noexcept { return fd_ >= 0; }
  explicit operator bool() const noexcept { return valid(); }

  // Gives up ownership and returns the descriptor.
  int release() noexcept;
  // Closes the descriptor now (if any). Errors from close are ignored: the fd is gone either way.
  void reset(int fd = -1) noexcept;

 private:
  int fd_ = -1;
};

// open(2) with O_CLOEXEC added. Returns an invalid Fd and sets `ec` on failure.
Fd open_fd(const std::string& path, int flags, std::error_code& ec, unsigned mode = 0) noexcept;

// openat(2) with O_CLOEXEC added. Returns an invalid Fd and sets `ec` on failure.
Fd openat_fd(int dirfd, const char* name, int flags, std::error_code& ec,
             unsigned mode = 0) noexcept;

// Reads the whole regular file at `path` (at most `limit` bytes; more is an error), following
// symbolic links. Throws std::system_error "unable to read PATH: reason", at once for a
// directory, FIFO, socket or device (never waits for a writer, never reads a device forever).
std::string read_file(const std::string& path, std::size_t limit = 16 * 1024 * 1024);

// Writes all of `data` to `fd`, again after EINTR and short writes. Returns 0, or the errno of
// the write that failed (EIO for one that wrote nothing).
int write_all(int fd, std::string_view data);

// Writes `data` to `path` atomically: a temporary file beside it, fsync, rename. Throws
// std::system_error on failure.
void write_file_atomic(const std::string& path, std::string_view data, unsigned mode = 0644);

// mkdir -p: creates `dir` and every missing folder above it with `mode`. Throws
// std::system_error naming the folder that could not be created.
void make_directories(const std::string& dir, unsigned mode);

}  // namespace ballast
