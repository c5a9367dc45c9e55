#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "common/file_system.hpp"

namespace ballast::entrypoint {

struct ChownOptions {
  uid_t uid = 0;
  gid_t gid = 0;
  bool cross_mounts = false;  // also walk into filesystems mounted below the path
  bool make_missing = true;   // create a missing path (owner uid:gid, mode 0750)
  unsigned threads = 1;       // walkers; the real filesystem gains from one per core
};

struct ChownReport {
  std::uint64_t examined = 0;         // entries looked at, the path itself included
  std::uint64_t changed = 0;          // entries whose owner was changed
  std::uint64_t skipped = 0;          // hard-linked files, mount points, entries that vanished
  bool created = false;               // the path did not exist and was created
  std::vector<std::string> warnings;  // one line each, at most kMaxWarnings
  std::chrono::nanoseconds elapsed{0};
};

inline constexpr std::size_t kMaxWarnings = 20;

// Gives `path` and everything below it to options.uid:gid, touching only entries whose owner
// differs. Never follows a symlink (every step is relative to the parent's fd, O_NOFOLLOW,
// AT_SYMLINK_NOFOLLOW), never hands over a non-directory with more than one hard link (a
// planted link to /etc/shadow), and stays on the path's own mount unless cross_mounts.
// A read-only filesystem or a missing CAP_CHOWN ends the walk with one warning, not an
// error: the container still starts. Throws std::system_error only when `path` cannot be
// opened or created at all.
ChownReport chown_tree(FileSystem& fs, const std::string& path, const ChownOptions& options);

}  // namespace ballast::entrypoint
