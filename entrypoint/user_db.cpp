#include "entrypoint/user_db.hpp"

#include <cerrno>
#include <charconv>
#include <system_error>

#include "common/fd.hpp"
#include "common/parse.hpp"
#include "common/text.hpp"

namespace ballast::entrypoint {
namespace {

// Calls f for each line that is neither empty nor a comment.
template <typename F>
void for_each_entry(std::string_view text, F f) {
  for_each_line(text, [&](std::string_view line, std::size_t) {
    if (!line.empty() && line[0] != '#') f(line);
    return true;
  });
}

std::string read_optional(const std::string& path) {
  try {
    return read_file(path, std::size_t{64} * 1024 * 1024);
  } catch (const std::system_error& e) {
    if (e.code() == std::errc::no_such_file_or_directory) return {};
    throw;
  }
}

}  // namespace

std::optional<unsigned> parse_id(std::string_view text) {
  // (uid_t)-1 means "unchanged" to setresuid: never an id.
  return parse_uint(text, 0u, 0xfffffffeu);
}

std::vector<PasswdEntry> parse_passwd(std::string_view text) {
  std::vector<PasswdEntry> out;
  for_each_entry(text, [&](std::string_view line) {
    const auto f = split(line, ':');
    if (f.size() < 7 || f[0].empty()) return;
    const auto uid = parse_id(f[2]);
    const auto gid = parse_id(f[3]);
    if (!uid || !gid) return;
    out.push_back(PasswdEntry{std::string(f[0]), *uid, *gid, std::string(f[5])});
  });
  return out;
}

std::vector<GroupEntry> parse_group(std::string_view text) {
  std::vector<GroupEntry> out;
  for_each_entry(text, [&](std::string_view line) {
    const auto f = split(line, ':');
    if (f.size() < 4 || f[0].empty()) return;
    const auto gid = parse_id(f[2]);
    if (!gid) return;
    GroupEntry g{std::string(f[0]), *gid, {}};
    if (!f[3].empty())
      for (auto m : split(f[3], ','))
        if (!m.empty()) g.members.emplace_back(m);
    out.push_back(std::move(g));
  });
  return out;
}

const PasswdEntry* UserDb::user_by_name(std::string_view name) const {
  for (const auto& u : users)
    if (u.name == name) return &u;
  return nullptr;
}

const PasswdEntry* UserDb::user_by_uid(uid_t uid) const {
  for (const auto& u : users)
    if (u.uid == uid) return &u;
  return nullptr;
}

const GroupEntry* UserDb::group_by_name(std::string_view name) const {
  for (const auto& g : groups)
    if (g.name == name) return &g;
  return nullptr;
}

UserDb load_user_db(const std::string& root) {
  return UserDb{parse_passwd(read_optional(root + "/etc/passwd")),
                parse_group(read_optional(root + "/etc/group"))};
}

}  // namespace ballast::entrypoint
