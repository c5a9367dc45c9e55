#include "entrypoint/identity.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "common/error.hpp"
#include "common/text.hpp"

namespace ballast::entrypoint {

Identity resolve_user(std::string_view spec, const UserDb& db) {
  const auto colon = spec.find(':');
  const std::string_view user = spec.substr(0, colon);
  const bool has_group = colon != std::string_view::npos;
  const std::string_view group = has_group ? spec.substr(colon + 1) : std::string_view();
  if (user.empty() || (has_group && (group.empty() || group.find(':') != std::string_view::npos)))
    throw UsageError(
        fmt::format("invalid user spec '{}': use NAME, UID, NAME:GROUP or UID:GID", shown(spec)));

  Identity id;
  const PasswdEntry* entry = nullptr;
  if (const auto uid = parse_id(user)) {
    id.uid = *uid;
    entry = db.user_by_uid(*uid);
  } else {
    entry = db.user_by_name(user);
    if (entry == nullptr)
      throw ConfigError(
          fmt::format("unknown user '{}': not in the image's /etc/passwd ({} entries); add it or "
                      "use a numeric uid",
                      shown(user), db.users.size()));
    id.uid = entry->uid;
  }
  id.name = entry != nullptr ? entry->name : std::to_string(id.uid);
  id.home = entry != nullptr && !entry->home.empty() ? entry->home : "/";

  if (has_group) {
    if (const auto gid = parse_id(group)) {
      id.gid = *gid;
    } else {
      const GroupEntry* g = db.group_by_name(group);
      if (g == nullptr)
        throw ConfigError(fmt::format(
            "unknown group '{}': not in the image's /etc/group; add it or use a numeric gid",
            shown(group)));
      id.gid = g->gid;
    }
    id.groups = {id.gid};
    return id;
  }
  if (entry == nullptr) {
    // No passwd entry: the uid doubles as the gid, as no sensible image maps an unknown user
    // to root's group (gosu, su-exec and setpriv all leave gid 0 here).
    id.gid = id.uid;
    id.groups = {id.gid};
    return id;
  }
  id.gid = entry->gid;
  id.groups = {id.gid};
  for (const auto& g : db.groups) {
    if (std::find(g.members.begin(), g.members.end(), entry->name) == g.members.end()) continue;
    if (std::find(id.groups.begin(), id.groups.end(), g.gid) == id.groups.end())
      id.groups.push_back(g.gid);
  }
  return id;
}

}  // namespace ballast::entrypoint
