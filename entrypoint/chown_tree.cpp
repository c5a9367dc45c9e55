#include "entrypoint/chown_tree.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <atomic>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>

#include "common/error.hpp"

namespace ballast::entrypoint {
namespace {

// Beyond this many queued directories a walker descends itself instead of queueing, so the
// open fds stay bounded (queued directories hold theirs) while both cores stay busy.
constexpr std::size_t kMaxQueued = 64;

// Counts kept per directory by one walker and added to the shared totals once per directory:
// an atomic increment per entry from two cores would bounce one cache line 200,000 times.
struct Tally {
  std::uint64_t examined = 0;
  std::uint64_t changed = 0;
  std::uint64_t skipped = 0;
};

struct PendingDir {
  Fd fd;
  std::string path;
};

class Walk {
 public:
  Walk(FileSystem& fs, const ChownOptions& o, std::uint64_t root_mount)
      : fs_(fs), o_(o), root_mount_(root_mount) {}

  void run(PendingDir root) {
    {
      std::lock_guard lock(mu_);
      queue_.push_back(std::move(root));
      ++active_;
    }
    const unsigned n = o_.threads == 0 ? 1 : o_.threads;
    std::vector<std::thread> helpers;
    for (unsigned i = 1; i < n; ++i) helpers.emplace_back([this] { work(); });
    work();
    for (auto& t : helpers) t.join();
  }

  void fill(ChownReport& r) {
    std::lock_guard lock(mu_);
    r.examined += total_.examined;
    r.changed += total_.changed;
    r.skipped += total_.skipped;
    for (auto& w : warnings_) r.warnings.push_back(std::move(w));
  }

  void warn(std::string message) {
    std::lock_guard lock(mu_);
    if (warnings_.size() < kMaxWarnings) warnings_.push_back(std::move(message));
  }

 private:
  void work() {
    std::vector<DirEntry> entries;
    for (;;) {
      PendingDir dir;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return !queue_.empty() || active_ == 0; });
        if (queue_.empty()) return;
        dir = std::move(queue_.front());
        queue_.pop_front();
      }
      process(dir, entries);
      std::lock_guard lock(mu_);
      if (--active_ == 0) cv_.notify_all();
    }
  }

  void process(PendingDir& dir, std::vector<DirEntry>& entries) {
    if (stopped_.load(std::memory_order_relaxed)) return;
    entries.clear();
    std::error_code ec;
    fs_.list(dir.fd.get(), entries, ec);
    if (ec) {
      warn(fmt::format("cannot list {}: {}", dir.path, ec.message()));
      return;
    }
    Tally tally;
    for (const auto& e : entries) {
      if (stopped_.load(std::memory_order_relaxed)) break;
      visit(dir, e, tally);
    }
    add(tally);
  }

 public:
  void add(const Tally& t) {
    std::lock_guard lock(mu_);
    total_.examined += t.examined;
    total_.changed += t.changed;
    total_.skipped += t.skipped;
  }

 private:
  void visit(PendingDir& dir, const DirEntry& e, Tally& tally) {
    std::error_code ec;
    const FileStat st = fs_.stat(dir.fd.get(), e.name, ec);
    ++tally.examined;
    if (ec) {
      ++tally.skipped;  // vanished since it was listed: nothing to hand over
      return;
    }
    const bool is_dir = S_ISDIR(st.mode);
    if (is_dir && st.mount_id != root_mount_ && !o_.cross_mounts) {
      ++tally.skipped;
      warn(fmt::format("{}/{} is another mount: left as it is (--chown-cross-mounts to include it)",
                       dir.path, e.name));
      return;
    }
    if (!is_dir && st.nlink > 1) {
      if (st.uid != o_.uid || st.gid != o_.gid) {
        ++tally.skipped;
        warn(fmt::format(
            "{}/{} has {} hard links: not handed over (it may be a link to a file outside)",
            dir.path, e.name, st.nlink));
      }
      return;
    }
    if (st.uid != o_.uid || st.gid != o_.gid)
      change(dir.fd.get(), e.name, fmt::format("{}/{}", dir.path, e.name), tally);
    if (!is_dir) return;
    PendingDir child{fs_.open_directory(dir.fd.get(), e.name, ec), {}};
    if (ec) {
      // Replaced by a symlink or something else since the stat: not ours to follow.
      ++tally.skipped;
      return;
    }
    child.path = fmt::format("{}/{}", dir.path, e.name);
    {
      std::lock_guard lock(mu_);
      if (queue_.size() < kMaxQueued) {
        queue_.push_back(std::move(child));
        ++active_;
        cv_.notify_one();
        return;
      }
    }
    std::vector<DirEntry> entries;
    process(child, entries);
  }

 public:
  void change(int dirfd, const std::string& name, const std::string& shown, Tally& tally) {
    std::error_code ec;
    fs_.chown(dirfd, name, o_.uid, o_.gid, ec);
    if (!ec) {
      ++tally.changed;
      return;
    }
    if (ec == std::errc::read_only_file_system || ec == std::errc::operation_not_permitted) {
      // A read-only mount or no CAP_CHOWN: the rest would fail the same way. One warning,
      // and the container starts (a restart loop would not fix either).
      if (!stopped_.exchange(true)) {
        warn(fmt::format("cannot change the owner of {}: {}; leaving ownership as it is", shown,
                         ec.message()));
      }
      return;
    }
    if (ec != std::errc::no_such_file_or_directory)
      warn(fmt::format("cannot change the owner of {}: {}", shown, ec.message()));
    ++tally.skipped;
  }

 private:
  FileSystem& fs_;
  const ChownOptions& o_;
  std::uint64_t root_mount_;
  Tally total_;
  std::atomic<bool> stopped_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<PendingDir> queue_;
  std::size_t active_ = 0;
  std::vector<std::string> warnings_;
};

// Creates a missing `path`: parents as root-owned 0755 (as mkdir -p would), the last one
// mode 0750 (the walk then gives it to the target).
void make_path(FileSystem& fs, const std::string& path) {
  std::error_code ec;
  std::size_t pos = path[0] == '/' ? 1 : 0;
  while (pos <= path.size()) {
    const auto slash = path.find('/', pos);
    const std::string prefix = path.substr(0, slash);
    const bool last = slash == std::string::npos;
    if (!prefix.empty()) {
      fs.make_directory(AT_FDCWD, prefix, last ? 0750 : 0755, ec);
      if (ec && ec != std::errc::file_exists)
        throw std::system_error(ec, "unable to create " + prefix);
    }
    if (last) break;
    pos = slash + 1;
  }
}

}  // namespace

ChownReport chown_tree(FileSystem& fs, const std::string& path, const ChownOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  ChownReport report;
  std::error_code ec;
  FileStat root = fs.stat(AT_FDCWD, path, ec);
  if (ec == std::errc::no_such_file_or_directory && options.make_missing) {
    make_path(fs, path);
    report.created = true;
    root = fs.stat(AT_FDCWD, path, ec);
  }
  if (ec) throw std::system_error(ec, "unable to examine " + path);
  if (S_ISLNK(root.mode)) {
    report.warnings.push_back(
        fmt::format("{} is a symlink: refusing to follow it; not changing ownership", path));
    report.skipped = 1;
    report.elapsed = std::chrono::steady_clock::now() - start;
    return report;
  }
  if (!S_ISDIR(root.mode)) {
    // A single file: the same rules as inside a tree.
    report.examined = 1;
    if (root.nlink > 1 && (root.uid != options.uid || root.gid != options.gid)) {
      report.skipped = 1;
      report.warnings.push_back(
          fmt::format("{} has {} hard links: not handed over", path, root.nlink));
    } else if (root.uid != options.uid || root.gid != options.gid) {
      Walk walk(fs, options, root.mount_id);
      Tally t;
      walk.change(AT_FDCWD, path, path, t);
      walk.add(t);
      walk.fill(report);
      report.examined = 1;
    }
    report.elapsed = std::chrono::steady_clock::now() - start;
    return report;
  }
  Fd fd = fs.open_directory(AT_FDCWD, path, ec);
  if (ec) throw std::system_error(ec, "unable to open " + path);
  Walk walk(fs, options, root.mount_id);
  Tally root_tally;
  root_tally.examined = 1;
  if (root.uid != options.uid || root.gid != options.gid)
    walk.change(fd.get(), "", path, root_tally);
  walk.add(root_tally);
  std::string shown = path;
  while (shown.size() > 1 && shown.back() == '/') shown.pop_back();
  walk.run(PendingDir{std::move(fd), shown});
  walk.fill(report);
  report.elapsed = std::chrono::steady_clock::now() - start;
  return report;
}

}  // namespace ballast::entrypoint
