#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/env.hpp"
#include "entrypoint/identity.hpp"

namespace ballast::entrypoint {

// What the drop keeps.
struct DropOptions {
  std::vector<int> keep_caps;  // capability numbers kept as ambient capabilities
  bool no_new_privs = true;    // PR_SET_NO_NEW_PRIVS after the drop
};

// Parses a capability name as libcap knows it ("net_bind_service", "CAP_NET_BIND_SERVICE").
// Throws UsageError naming the value for an unknown one.
int parse_capability(std::string_view name);

// Drops from root to `id`, in the only safe order: bounding set trimmed to the kept
// capabilities (needs CAP_SETPCAP, so while still root) → setgroups → setresgid → setresuid →
// permitted/effective/inheritable set to the kept ones, which are raised as ambient → no_new_privs.
// Then verifies the result: real, effective and saved uid and gid, the supplementary groups,
// the capability sets, and that setuid(0) now fails. Throws Error(71) naming what is wrong,
// before any command runs.
void drop_privileges(const Identity& id, const DropOptions& options);

// Sets no_new_privs on this process: no setuid binary or file capability can raise what its
// exec'd programs get. drop_privileges does it after the drop; a process started as non-root
// (nothing to drop) calls this alone. Throws Error(71) when the kernel refuses.
void forbid_new_privileges();

// Sets HOME, USER and LOGNAME for the command from `id`; the rest of the environment stays.
void set_identity_env(const Identity& id, Env& env);

}  // namespace ballast::entrypoint
