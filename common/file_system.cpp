#include "common/file_system.hpp"

#include <algorithm>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <span>
#include <string_view>

#include "common/error.hpp"

namespace ballast {
namespace {

std::error_code last_error() { return {errno, std::generic_category()}; }

// Every entry of the open directory `dirfd` but "." and "..", from the start, read with
// getdents64 into `buf`: `each(name, d_type)` sees each name in the kernel's order.
template <typename Each>
void read_entries(int dirfd, std::span<char> buf, const Each& each, std::error_code& ec) {
  if (lseek(dirfd, 0, SEEK_SET) != 0) {
    ec = last_error();
    return;
  }
  for (;;) {
    const long n = syscall(SYS_getdents64, dirfd, buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      ec = last_error();
      return;
    }
    if (n == 0) break;
    for (long off = 0; off < n;) {
      const auto* d = reinterpret_cast<const dirent64*>(buf.data() + off);
      off += d->d_reclen;
      const char* name = d->d_name;
      if (name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'))) continue;
      each(std::string_view(name), d->d_type);
    }
  }
  ec.clear();
}

class RealFileSystem final : public FileSystem {
 public:
  Fd open_directory(int dirfd, const std::string& name, std::error_code& ec) override {
    return openat_fd(dirfd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK, ec);
  }

  // getdents64 directly, with a large buffer: readdir's 32 KiB refills cost a syscall per
  // few hundred entries, and a walk of 200,000 files is mostly this loop.
  void list(int dirfd, std::vector<DirEntry>& out, std::error_code& ec) override {
    alignas(8) char buf[128 * 1024];
    read_entries(
        dirfd, buf,
        [&](std::string_view name, unsigned char type) {
          out.push_back(DirEntry{std::string(name), type});
        },
        ec);
  }

  FileStat stat(int dirfd, const std::string& name, std::error_code& ec) override {
    struct statx sx {};
    const int flags = AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | (name.empty() ? AT_EMPTY_PATH : 0);
    if (statx(dirfd, name.c_str(), flags,
              STATX_TYPE | STATX_MODE | STATX_UID | STATX_GID | STATX_NLINK | STATX_MNT_ID,
              &sx) != 0) {
      ec = last_error();
      return {};
    }
    ec.clear();
    return FileStat{sx.stx_mode, sx.stx_uid, sx.stx_gid, sx.stx_nlink, sx.stx_mnt_id};
  }

  void chown(int dirfd, const std::string& name, uid_t uid, gid_t gid,
             std::error_code& ec) override {
    const int flags = AT_SYMLINK_NOFOLLOW | (name.empty() ? AT_EMPTY_PATH : 0);
    if (fchownat(dirfd, name.c_str(), uid, gid, flags) != 0) {
      ec = last_error();
      return;
    }
    ec.clear();
  }

  void make_directory(int dirfd, const std::string& name, mode_t mode,
                      std::error_code& ec) override {
    if (mkdirat(dirfd, name.c_str(), mode) != 0) {
      ec = last_error();
      return;
    }
    ec.clear();
  }
};

}  // namespace

FileSystem& real_file_system() {
  static RealFileSystem fs;
  return fs;
}

void for_each_name(const std::string& path, const std::function<void(std::string_view)>& each) {
  std::error_code ec;
  const Fd dir = open_fd(path, O_RDONLY | O_DIRECTORY, ec);
  if (!dir) throw errno_error(ec.value(), "read " + path);
  // A folder of a few thousand names fits in two or three refills; each page of a larger
  // buffer is one more page fault in a short-lived process.
  alignas(8) char buf[32 * 1024];
  read_entries(
      dir.get(), buf, [&](std::string_view name, unsigned char) { each(name); }, ec);
  if (ec) throw errno_error(ec.value(), "read " + path);
}

std::vector<std::string> list_directory(FileSystem& fs, const std::string& path, ListOrder order) {
  std::error_code ec;
  const Fd dir = open_fd(path, O_RDONLY | O_DIRECTORY, ec);
  if (!dir) throw errno_error(ec.value(), "read " + path);
  std::vector<DirEntry> entries;
  fs.list(dir.get(), entries, ec);
  if (ec) throw errno_error(ec.value(), "read " + path);
  std::vector<std::string> names;
  names.reserve(entries.size());
  for (auto& e : entries) names.push_back(std::move(e.name));
  if (order == ListOrder::kSorted) std::sort(names.begin(), names.end());
  return names;
}

}  // namespace ballast
