// --user SPEC against the image's own /etc/passwd and /etc/group (any text: images carry odd
// ones): resolved to one identity or refused; the supplementary groups start with the primary
// group and hold no duplicate. Input: "PASSWD\0GROUP\0SPEC".
#include <algorithm>

#include "entrypoint/identity.hpp"
#include "entrypoint/user_db.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ballast;
  using namespace ballast::entrypoint;
  const auto parts = fuzz::fields(fuzz::as_text(data, size));
  if (parts.size() < 3) return 0;
  UserDb db;
  db.users = parse_passwd(parts[0]);
  db.groups = parse_group(parts[1]);
  (void)parse_id(parts[2]);
  Identity id;
  if (fuzz::refused([&] { id = resolve_user(parts[2], db); })) return 0;
  FUZZ_CHECK(!id.groups.empty() && id.groups.front() == id.gid);
  auto sorted = id.groups;
  std::sort(sorted.begin(), sorted.end());
  FUZZ_CHECK(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end());
  FUZZ_CHECK(!id.name.empty() && !id.home.empty());
  return 0;
}
