#pragma once

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/file_system.hpp"

namespace ballast::testing {

// An in-memory tree that records every call, so a test can assert which syscalls a walk
// made (and which it did not: no chown outside the tree, no open of a symlink). Safe to call
// from several threads at once, as the walk's helpers do.
class FakeFileSystem final : public FileSystem {
 public:
  struct Node {
    mode_t mode = S_IFDIR | 0755;
    uid_t uid = 0;
    gid_t gid = 0;
    std::uint64_t nlink = 1;
    std::uint64_t mount_id = 1;
    std::string path;
    std::map<std::string, std::shared_ptr<Node>> children;
  };

  FakeFileSystem() { root_->path = ""; }

  // Adds a node at absolute `path` (parents must exist) and returns it.
  Node& add(const std::string& path, mode_t mode, uid_t uid = 0, gid_t gid = 0) {
    const auto slash = path.rfind('/');
    Node* parent = find(path.substr(0, slash));
    auto n = std::make_shared<Node>();
    n->mode = mode;
    n->uid = uid;
    n->gid = gid;
    n->path = path;
    n->mount_id = parent->mount_id;
    parent->children[path.substr(slash + 1)] = n;
    return *n;
  }
  Node& dir(const std::string& path, uid_t uid = 0) { return add(path, S_IFDIR | 0755, uid, uid); }
  Node& file(const std::string& path, uid_t uid = 0) { return add(path, S_IFREG | 0644, uid, uid); }

  Node* find(const std::string& path) {
    Node* n = root_.get();
    std::size_t pos = 1;
    while (n != nullptr && pos <= path.size() && path.size() > 1) {
      const auto slash = path.find('/', pos);
      const auto part =
          path.substr(pos, slash == std::string::npos ? std::string::npos : slash - pos);
      const auto it = n->children.find(part);
      n = it == n->children.end() ? nullptr : it->second.get();
      if (slash == std::string::npos) break;
      pos = slash + 1;
    }
    return n;
  }

  std::vector<std::string> calls;
  bool read_only = false;

  Fd open_directory(int dirfd, const std::string& name, std::error_code& ec) override {
    const std::lock_guard lock(mu_);
    Node* n = lookup(dirfd, name);
    calls.push_back("open " + shown(dirfd, name));
    if (n == nullptr) return fail(ec, ENOENT);
    if (S_ISLNK(n->mode)) return fail(ec, ELOOP);
    if (!S_ISDIR(n->mode)) return fail(ec, ENOTDIR);
    const int fd = next_fd_++;
    fds_[fd] = n;
    ec.clear();
    return Fd(-fd);  // negative: never a real descriptor, closing it is harmless
  }

  void list(int dirfd, std::vector<DirEntry>& out, std::error_code& ec) override {
    const std::lock_guard lock(mu_);
    Node* n = node_of(dirfd);
    for (const auto& [name, child] : n->children) out.push_back(DirEntry{name, DT_UNKNOWN});
    ec.clear();
  }

  FileStat stat(int dirfd, const std::string& name, std::error_code& ec) override {
    const std::lock_guard lock(mu_);
    Node* n = lookup(dirfd, name);
    if (n == nullptr) {
      ec.assign(ENOENT, std::generic_category());
      return {};
    }
    ec.clear();
    return FileStat{n->mode, n->uid, n->gid, n->nlink, n->mount_id};
  }

  void chown(int dirfd, const std::string& name, uid_t uid, gid_t gid,
             std::error_code& ec) override {
    const std::lock_guard lock(mu_);
    Node* n = lookup(dirfd, name);
    calls.push_back("chown " + shown(dirfd, name) + " " + std::to_string(uid) + ":" +
                    std::to_string(gid));
    if (read_only) {
      ec.assign(EROFS, std::generic_category());
      return;
    }
    n->uid = uid;
    n->gid = gid;
    ec.clear();
  }

  void make_directory(int dirfd, const std::string& name, mode_t mode,
                      std::error_code& ec) override {
    const std::lock_guard lock(mu_);
    const std::string path = dirfd == AT_FDCWD ? name : node_of(dirfd)->path + "/" + name;
    calls.push_back("mkdir " + path);
    if (find(path) != nullptr) {
      ec.assign(EEXIST, std::generic_category());
      return;
    }
    add(path, S_IFDIR | mode);
    ec.clear();
  }

 private:
  std::mutex mu_;

  Fd fail(std::error_code& ec, int err) {
    ec.assign(err, std::generic_category());
    return Fd();
  }

  Node* node_of(int dirfd) { return dirfd == AT_FDCWD ? root_.get() : fds_.at(-dirfd); }

  Node* lookup(int dirfd, const std::string& name) {
    if (dirfd == AT_FDCWD) return find(name);
    Node* d = fds_.at(-dirfd);
    if (name.empty()) return d;
    const auto it = d->children.find(name);
    return it == d->children.end() ? nullptr : it->second.get();
  }

  std::string shown(int dirfd, const std::string& name) {
    if (dirfd == AT_FDCWD) return name;
    Node* d = fds_.at(-dirfd);
    return name.empty() ? d->path : d->path + "/" + name;
  }

  std::shared_ptr<Node> root_ = std::make_shared<Node>();
  std::map<int, Node*> fds_;
  int next_fd_ = 1000;
};

}  // namespace ballast::testing
