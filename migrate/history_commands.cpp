#include "migrate/commands.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "common/duration.hpp"
#include "common/error.hpp"
#include "common/exit_code.hpp"
#include "common/log.hpp"
#include "common/parse.hpp"
#include "common/text.hpp"
#include "migrate/adopt.hpp"
#include "migrate/workspace.hpp"

namespace ballast::migrate {

int adopt_command(const Config& config, const OpenDatabase& open, const std::string& from) {
  const auto tool = parse_tool(from);
  if (!tool)
    throw UsageError(fmt::format(
        "invalid --from '{}': use dbmate, golang-migrate, flyway, prisma or drizzle", shown(from)));
  const std::vector<Migration> files = scan_migrations(config.dir);
  auto db = open(true);
  db->acquire_lock(config.lock_timeout);
  const auto entries =
      read_foreign_history(*db, *tool, config.target.backend == Backend::kPostgres);
  const auto adopted = plan_adoption(*tool, entries, files);
  db->ensure_history();
  const std::size_t recorded = db->record_applied(adopted, kCoreModule);
  db->release_lock();
  for (const Migration* m : adopted)
    std::puts(fmt::format("adopted {} {}", m->file_name, m->sha256).c_str());
  log::info("adopted {} migration{} from {} ({} newly recorded, nothing run) into {}",
            adopted.size(), adopted.size() == 1 ? "" : "s", from, recorded, db->describe());
  return exit_code::kOk;
}

int resolve_command(const Config& config, const OpenDatabase& open, const std::string& version_text,
                    bool applied) {
  const auto parsed = parse_uint<std::uint64_t>(version_text);
  if (!parsed)
    throw UsageError(
        fmt::format("invalid version '{}': give the number, e.g. migrate resolve 3 --applied",
                    shown(version_text)));
  const std::uint64_t version = *parsed;
  const std::vector<Migration> files = scan_migrations(config.dir);
  const auto it = std::find_if(files.begin(), files.end(),
                               [&](const Migration& m) { return m.version == version; });
  if (applied && it == files.end())
    throw DataError(
        fmt::format("no migration file with version {} in {}: --applied records its hash", version,
                    config.dir));
  auto db = open(true);
  db->acquire_lock(config.lock_timeout);
  db->resolve(kCoreModule, version, applied, it == files.end() ? "" : it->sha256);
  db->release_lock();
  log::info("version {} resolved as {}", version,
            applied ? "applied" : "rolled back (it will run again)");
  return exit_code::kOk;
}

int version_command(const OpenDatabase& open) {
  auto db = open(false);
  std::uint64_t highest = 0;
  bool any = false;
  for (const auto& r : db->applied()) {
    if (!r.module.empty() || r.state != "applied") continue;
    highest = std::max(highest, r.version);
    any = true;
  }
  std::puts(any ? std::to_string(highest).c_str() : "none");
  return exit_code::kOk;
}

}  // namespace ballast::migrate
