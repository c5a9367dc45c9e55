#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>
#include <vector>

#include "entrypoint/user_db.hpp"

namespace ballast::entrypoint {

// Who the command runs as after the drop.
struct Identity {
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;  // supplementary groups, primary gid first, no duplicates
  std::string name;           // passwd name, or the uid in decimal when there is no entry
  std::string home;           // passwd home, or "/"
};

// Resolves a Docker --user spec: NAME, UID, NAME:GROUP, UID:GID, NAME:GID or UID:GROUP.
// - A name must exist in `db`; a number must be all digits ("1000x" and "0day" are names,
//   and unknown ones are errors), never a silent root.
// - Supplementary groups: for a user found in passwd with no group given, its primary group
//   plus every group listing it as a member (initgroups); with a group given, that group
//   only; for a numeric uid without a passwd entry, gid = uid unless given (never root's 0).
// Throws UsageError (64) for a malformed spec and ConfigError (78) for an unknown name.
Identity resolve_user(std::string_view spec, const UserDb& db);

}  // namespace ballast::entrypoint
