#include "entrypoint/privileges.hpp"

#include <fmt/format.h>
#include <grp.h>
#include <linux/securebits.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include "common/env.hpp"
#include "common/error.hpp"
#include "common/exit_code.hpp"
#include "common/text.hpp"

namespace ballast::entrypoint {
namespace {

[[noreturn]] void fatal_os(const std::string& what) {
  throw Error(exit_code::kOs, fmt::format("unable to {}: {}", what, std::strerror(errno)));
}

[[noreturn]] void fatal_check(const std::string& what) {
  throw Error(exit_code::kOs,
              fmt::format("privilege drop check failed: {}; not running the command", what));
}

struct CapFree {
  void operator()(cap_t c) const { cap_free(c); }
};
using Caps = std::unique_ptr<std::remove_pointer_t<cap_t>, CapFree>;

bool kept(const DropOptions& o, int cap) {
  return std::find(o.keep_caps.begin(), o.keep_caps.end(), cap) != o.keep_caps.end();
}

std::string cap_name(int cap) {
  char* n = cap_to_name(cap);
  std::string s = n != nullptr ? n : std::to_string(cap);
  cap_free(n);
  return s;
}

void trim_bounding_set(const DropOptions& o) {
  for (int cap = 0; cap <= CAP_LAST_CAP; ++cap) {
    if (kept(o, cap)) continue;
    const int in_bound = cap_get_bound(cap);
    if (in_bound <= 0) continue;  // absent (or unknown to this kernel): nothing to drop
    if (cap_drop_bound(cap) != 0)
      fatal_os(fmt::format("drop {} from the bounding set (needs CAP_SETPCAP)", cap_name(cap)));
  }
}

void set_kept_caps(const DropOptions& o) {
  Caps caps(cap_init());
  if (!caps) fatal_os("allocate a capability set");
  std::vector<cap_value_t> values;
  for (int c : o.keep_caps) values.push_back(c);
  if (!values.empty()) {
    const int n = static_cast<int>(values.size());
    if (cap_set_flag(caps.get(), CAP_PERMITTED, n, values.data(), CAP_SET) != 0 ||
        cap_set_flag(caps.get(), CAP_EFFECTIVE, n, values.data(), CAP_SET) != 0 ||
        cap_set_flag(caps.get(), CAP_INHERITABLE, n, values.data(), CAP_SET) != 0)
      fatal_os("build the kept capability set");
  }
  // The inheritable set survives setuid, so it is cleared explicitly even when nothing is kept.
  if (cap_set_proc(caps.get()) != 0) fatal_os("set the process capabilities");
  if (cap_reset_ambient() != 0 && errno != EINVAL) fatal_os("clear the ambient capabilities");
  for (cap_value_t v : values)
    if (cap_set_ambient(v, CAP_SET) != 0) fatal_os(fmt::format("raise {} as ambient", cap_name(v)));
}

void verify(const Identity& id, const DropOptions& o) {
  uid_t ruid, euid, suid;
  gid_t rgid, egid, sgid;
  if (getresuid(&ruid, &euid, &suid) != 0 || getresgid(&rgid, &egid, &sgid) != 0)
    fatal_os("read the ids");
  if (ruid != id.uid || euid != id.uid || suid != id.uid)
    fatal_check(fmt::format("uids are {}/{}/{}, expected {}", ruid, euid, suid, id.uid));
  if (rgid != id.gid || egid != id.gid || sgid != id.gid)
    fatal_check(fmt::format("gids are {}/{}/{}, expected {}", rgid, egid, sgid, id.gid));
  // Ask for the count first: a vector of NGROUPS_MAX (65536) would touch 64 pages for nothing.
  const int count = getgroups(0, nullptr);
  if (count < 0) fatal_os("count the supplementary groups");
  std::vector<gid_t> groups(static_cast<std::size_t>(count));
  const int n = getgroups(count, groups.data());
  if (n < 0) fatal_os("read the supplementary groups");
  groups.resize(static_cast<std::size_t>(n));
  std::vector<gid_t> want = id.groups;
  std::sort(groups.begin(), groups.end());
  std::sort(want.begin(), want.end());
  if (groups != want) fatal_check("supplementary groups differ from the ones asked for");
  if (id.uid != 0) {
    if (setuid(0) == 0) fatal_check("setuid(0) succeeded after the drop");
    if (setgid(0) == 0 && id.gid != 0) fatal_check("setgid(0) succeeded after the drop");
  }
  for (int cap = 0; cap <= CAP_LAST_CAP; ++cap) {
    if (kept(o, cap)) continue;
    if (cap_get_bound(cap) > 0)
      fatal_check(fmt::format("{} is still in the bounding set", cap_name(cap)));
    if (cap_get_ambient(cap) > 0) fatal_check(fmt::format("{} is still ambient", cap_name(cap)));
  }
  Caps now(cap_get_proc());
  if (!now) fatal_os("read the process capabilities");
  for (int cap = 0; cap <= CAP_LAST_CAP; ++cap) {
    if (kept(o, cap)) continue;
    for (cap_flag_t flag : {CAP_PERMITTED, CAP_EFFECTIVE, CAP_INHERITABLE}) {
      cap_flag_value_t v = CAP_CLEAR;
      if (cap_get_flag(now.get(), cap, flag, &v) == 0 && v == CAP_SET)
        fatal_check(fmt::format("{} is still held", cap_name(cap)));
    }
  }
}

}  // namespace

int parse_capability(std::string_view name) {
  std::string n = ascii_lower(name);
  if (!n.starts_with("cap_")) n.insert(0, "cap_");
  cap_value_t v = 0;
  if (cap_from_name(n.c_str(), &v) != 0 || v < 0 || v > CAP_LAST_CAP)
    throw UsageError(
        fmt::format("unknown capability '{}': use a name such as net_bind_service", shown(name)));
  return v;
}

void drop_privileges(const Identity& id, const DropOptions& options) {
  trim_bounding_set(options);
  // Keep the permitted set across setresuid only when something is to be kept; the kernel
  // clears it otherwise, which is what we want.
  if (!options.keep_caps.empty() && prctl(PR_SET_KEEPCAPS, 1L, 0L, 0L, 0L) != 0)
    fatal_os("set PR_SET_KEEPCAPS");
  if (setgroups(id.groups.size(), id.groups.data()) != 0) fatal_os("setgroups");
  if (setresgid(id.gid, id.gid, id.gid) != 0) fatal_os(fmt::format("setgid to {}", id.gid));
  if (setresuid(id.uid, id.uid, id.uid) != 0) fatal_os(fmt::format("setuid to {}", id.uid));
  if (!options.keep_caps.empty() && prctl(PR_SET_KEEPCAPS, 0L, 0L, 0L, 0L) != 0)
    fatal_os("clear PR_SET_KEEPCAPS");
  set_kept_caps(options);
  if (options.no_new_privs) forbid_new_privileges();
  verify(id, options);
}

void forbid_new_privileges() {
  if (prctl(PR_SET_NO_NEW_PRIVS, 1L, 0L, 0L, 0L) != 0) fatal_os("set PR_SET_NO_NEW_PRIVS");
}

void set_identity_env(const Identity& id, Env& env) {
  env.set("HOME", id.home);
  env.set("USER", id.name);
  env.set("LOGNAME", id.name);
}

}  // namespace ballast::entrypoint
