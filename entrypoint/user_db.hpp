#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

// The image's /etc/passwd and /etc/group, read as text. Written here rather than through
// getpwnam(3): a static binary must not load NSS modules, and gosu, su-exec and setpriv all
// resolve from the image's own files the same way.
namespace ballast::entrypoint {

struct PasswdEntry {
  std::string name;
  uid_t uid = 0;
  gid_t gid = 0;
  std::string home;
};

struct GroupEntry {
  std::string name;
  gid_t gid = 0;
  std::vector<std::string> members;
};

// The users and groups of an image. Malformed lines are skipped (as libc does).
struct UserDb {
  std::vector<PasswdEntry> users;
  std::vector<GroupEntry> groups;

  const PasswdEntry* user_by_name(std::string_view name) const;
  const PasswdEntry* user_by_uid(uid_t uid) const;
  const GroupEntry* group_by_name(std::string_view name) const;
};

// Parses passwd(5) text: name:password:uid:gid:gecos:home:shell.
std::vector<PasswdEntry> parse_passwd(std::string_view text);

// Parses group(5) text: name:password:gid:member,member.
std::vector<GroupEntry> parse_group(std::string_view text);

// Parses a decimal id with nothing else around it ("1000", not "1000x", "0day", "-1", " 1");
// nullopt otherwise or when it does not fit in 32 bits minus the reserved (id_t)-1.
std::optional<unsigned> parse_id(std::string_view text);

// Loads /etc/passwd and /etc/group below `root` ("" for the real root); a missing file gives
// an empty list (a scratch image may have none). Throws std::system_error for other errors.
UserDb load_user_db(const std::string& root = "");

}  // namespace ballast::entrypoint
