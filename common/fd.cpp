#include "common/fd.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string>

#include "common/error.hpp"

namespace ballast {

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) reset(other.release());
  return *this;
}

Fd::~Fd() { reset(); }

int Fd::release() noexcept {
  const int fd = fd_;
  fd_ = -1;
  return fd;
}

void Fd::reset(int fd) noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

Fd open_fd(const std::string& path, int flags, std::error_code& ec, unsigned mode) noexcept {
  return openat_fd(AT_FDCWD, path.c_str(), flags, ec, mode);
}

Fd openat_fd(int dirfd, const char* name, int flags, std::error_code& ec, unsigned mode) noexcept {
  int fd;
  do {
    fd = ::openat(dirfd, name, flags | O_CLOEXEC, mode);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    ec.assign(errno, std::generic_category());
    return Fd();
  }
  ec.clear();
  return Fd(fd);
}

namespace {

const char* kind_of(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  return "not a regular file";
}

}  // namespace

std::string read_file(const std::string& path, std::size_t limit) {
  std::error_code ec;
  // O_NONBLOCK: opening a FIFO without a writer would otherwise wait forever; it is refused
  // below, as is anything else but a regular file (a device would never end, a directory has
  // no text). Symbolic links are followed: Kubernetes mounts secrets and config maps as links.
  Fd fd = open_fd(path, O_RDONLY | O_NONBLOCK, ec);
  if (!fd) throw errno_error(ec.value(), "read " + path);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) throw errno_error("read " + path);
  if (S_ISDIR(st.st_mode)) throw errno_error(EISDIR, "read " + path);
  if (!S_ISREG(st.st_mode))
    throw errno_error(EINVAL,
                      "read " + path + " (" + kind_of(st.st_mode) + ", not a regular file)");
  // Read straight into the string, sized from fstat: no large stack buffer to fault in on a
  // path (entrypoint's start) where every touched page counts.
  const auto too_large = [&] {
    return errno_error(EFBIG, "read " + path + " (more than " + std::to_string(limit) + " bytes)");
  };
  std::size_t capacity = 4096;
  if (st.st_size > 0) capacity = static_cast<std::size_t>(st.st_size) + 1;
  std::string data;
  for (;;) {
    if (data.size() > limit) throw too_large();
    const std::size_t used = data.size();
    data.resize(std::max(used + 1, std::min(capacity, limit + 1)));
    const ssize_t n = ::read(fd.get(), data.data() + used, data.size() - used);
    if (n < 0) {
      data.resize(used);
      if (errno == EINTR) continue;
      throw errno_error("read " + path);
    }
    data.resize(used + static_cast<std::size_t>(n));
    if (n == 0) break;
    // All fstat promised: no read just to see the end (one system call fewer per file).
    if (st.st_size > 0 && data.size() == static_cast<std::size_t>(st.st_size)) break;
    if (data.size() == capacity) capacity *= 2;
  }
  if (data.size() > limit) throw too_large();
  return data;
}

int write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    if (n == 0) return EIO;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return 0;
}

void write_file_atomic(const std::string& path, std::string_view data, unsigned mode) {
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  std::error_code ec;
  Fd fd = open_fd(tmp, O_WRONLY | O_CREAT | O_TRUNC, ec, mode);
  if (!fd) throw errno_error(ec.value(), "create " + tmp);
  if (const int err = write_all(fd.get(), data); err != 0) {
    ::unlink(tmp.c_str());
    throw errno_error(err, "write " + tmp);
  }
  if (::fsync(fd.get()) != 0 || ::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    throw errno_error(err, "replace " + path);
  }
}

void make_directories(const std::string& dir, unsigned mode) {
  for (std::size_t pos = dir.find('/', 1);; pos = dir.find('/', pos + 1)) {
    const std::string part = dir.substr(0, pos);
    if (::mkdir(part.c_str(), mode) != 0 && errno != EEXIST) throw errno_error("create " + part);
    if (pos == std::string::npos) return;
  }
}

}  // namespace ballast
