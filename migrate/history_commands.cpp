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
  if (!tool) throw UsageError(fmt::format("invalid --from '{}': use {}", shown(from), kToolNames));
  const std::vector<Migration> files = scan_migrations(config.dir, scan_options(config));
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
  const auto parsed = Version::from_history(version_text);
  if (!parsed)
    throw UsageError(fmt::format(
        "invalid version '{}': give the version as status shows it, e.g. migrate resolve 3 "
        "--applied (or 1.10, or R__name for a repeatable migration)",
        shown(version_text)));
  const Version& version = *parsed;
  const std::vector<Migration> files = scan_migrations(config.dir, scan_options(config));
  const auto it = std::find_if(files.begin(), files.end(),
                               [&](const Migration& m) { return m.version == version; });
  if (applied && it == files.end())
    throw DataError(
        fmt::format("no migration file with version {} in {}: --applied records its hash",
                    version.text(), config.dir));
  auto db = open(true);
  db->acquire_lock(config.lock_timeout);
  db->resolve(kCoreModule, version, applied, it == files.end() ? "" : it->sha256);
  db->release_lock();
  log::info("version {} resolved as {}", version.text(),
            applied ? "applied" : "rolled back (it will run again)");
  return exit_code::kOk;
}

int version_command(const OpenDatabase& open) {
  auto db = open(false);
  std::optional<Version> highest;
  for (const auto& r : db->applied()) {
    if (!r.module.empty() || r.state != "applied" || r.version.is_repeatable()) continue;
    if (!highest || *highest < r.version) highest = r.version;
  }
  std::puts(highest ? highest->text().c_str() : "none");
  return exit_code::kOk;
}

}  // namespace ballast::migrate
