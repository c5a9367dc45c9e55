#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "common/fd.hpp"

namespace ballast {

// What a walk needs to know of one entry, from one statx(2).
struct FileStat {
  mode_t mode = 0;  // type and permission bits
  uid_t uid = 0;
  gid_t gid = 0;
  std::uint64_t nlink = 0;
  std::uint64_t mount_id = 0;  // differs across every mount, bind mounts too
};

// One directory entry as getdents64(2) gives it.
struct DirEntry {
  std::string name;
  unsigned char type = 0;  // DT_DIR, DT_REG, DT_LNK, ... or DT_UNKNOWN
};

// The seam between tree walks (entrypoint --chown) and the kernel. Every call is relative to
// a directory fd and never follows a symlink in its last component. Errors come back through
// `ec` (callers branch on errno: ENOENT during a walk is a race, EROFS is a read-only mount).
class FileSystem {
 public:
  virtual ~FileSystem() = default;

  // Opens `name` below `dirfd` as a directory, refusing symlinks and non-directories
  // (O_DIRECTORY|O_NOFOLLOW|O_NONBLOCK, so a FIFO planted in its place cannot block us).
  virtual Fd open_directory(int dirfd, const std::string& name, std::error_code& ec) = 0;

  // Every entry of the open directory `dirfd` but "." and "..", appended to `out`.
  virtual void list(int dirfd, std::vector<DirEntry>& out, std::error_code& ec) = 0;

  // statx of `name` below `dirfd` without following a symlink; "" means `dirfd` itself.
  virtual FileStat stat(int dirfd, const std::string& name, std::error_code& ec) = 0;

  // fchownat of `name` below `dirfd` without following a symlink; "" means `dirfd` itself.
  virtual void chown(int dirfd, const std::string& name, uid_t uid, gid_t gid,
                     std::error_code& ec) = 0;

  // mkdirat `name` below `dirfd`.
  virtual void make_directory(int dirfd, const std::string& name, mode_t mode,
                              std::error_code& ec) = 0;
};

// The real kernel. Thread-safe.
FileSystem& real_file_system();

// The names in the directory `path` (a symlink to a directory is followed: a project may link
// its migrations folder), without "." and "..", sorted (or in the kernel's order with
// kAsListed, for a caller that orders what it keeps itself: sorting thousands of names with a
// long common prefix is most of a listing's cost). Throws std::system_error ("unable to read
// DIR: reason"; ENOENT for a missing one).
enum class ListOrder { kSorted, kAsListed };
std::vector<std::string> list_directory(FileSystem& fs, const std::string& path,
                                        ListOrder order = ListOrder::kSorted);

// The names of `path` one by one, in the kernel's order, nothing allocated for them: for a
// caller that keeps few of many names. Throws as list_directory.
void for_each_name(const std::string& path, const std::function<void(std::string_view)>& each);

}  // namespace ballast
