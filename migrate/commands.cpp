#include "migrate/commands.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "common/duration.hpp"
#include "common/error.hpp"
#include "common/exit_code.hpp"
#include "common/log.hpp"
#include "migrate/status.hpp"

namespace ballast::migrate {
namespace {

const std::string kCoreModule;

std::unique_ptr<Database> connect(const Config& config, bool creating) {
  if (config.embedded_default) {
    log::info("no DATABASE_URL given: using the embedded default sqlite:{} (mode {})",
              kEmbeddedDefault, to_string(config.mode.mode));
    if (creating && ::mkdir("./data", 0750) != 0 && errno != EEXIST)
      throw errno_error("create ./data");
  }
  return open_database(config.target, config.history, config.wait_timeout);
}

}  // namespace

int apply_command(const Config& config) {
  const auto started = std::chrono::steady_clock::now();
  // Files are read and checked before the database is touched: a bad folder changes nothing.
  const std::vector<Migration> files = scan_migrations(config.dir);
  auto db = connect(config, true);
  db->acquire_lock(config.lock_timeout);
  db->ensure_history();
  const auto rows = compute_status(files, db->applied(), kCoreModule);

  std::vector<std::string> problems;
  for (const auto& r : rows) {
    if (r.state == State::kFailed)
      problems.push_back(
          fmt::format("{} failed part-way earlier: fix the database by hand, then run "
                      "'migrate resolve {} --applied' or '--rolled-back'",
                      r.file->file_name, r.version));
    if (r.state == State::kChanged && !config.allow_changed)
      problems.push_back(
          fmt::format("{} changed after it was applied: restore the applied version and put the "
                      "change in a new migration (or pass --allow-changed)",
                      r.file->file_name));
  }
  if (!problems.empty()) {
    std::string all =
        fmt::format("refusing to apply, nothing changed ({} problem{}):", problems.size(),
                    problems.size() == 1 ? "" : "s");
    for (const auto& p : problems) all += "\n  " + p;
    throw DataError(all);
  }

  std::size_t applied = 0;
  std::size_t already = 0;
  for (const auto& r : rows) {
    if (r.state != State::kPending) {
      if (r.state == State::kApplied || r.state == State::kChanged) ++already;
      continue;
    }
    const auto t0 = std::chrono::steady_clock::now();
    if (db->apply(*r.file, kCoreModule, true)) {
      ++applied;
      log::info("applied {} in {}", r.file->file_name,
                format_duration(std::chrono::steady_clock::now() - t0));
    } else {
      ++already;
      log::info("skipped {}: another runner applied it", r.file->file_name);
    }
  }
  db->release_lock();
  log::info("{} migration{} applied, {} already applied, to {} in {}", applied,
            applied == 1 ? "" : "s", already, db->describe(),
            format_duration(std::chrono::steady_clock::now() - started));
  return exit_code::kOk;
}

int status_command(const Config& config, bool json, bool exit_code) {
  const std::vector<Migration> files = scan_migrations(config.dir);
  auto db = connect(config, false);
  const auto rows = compute_status(files, db->applied(), kCoreModule);
  bool all_applied = true;
  for (const auto& r : rows) all_applied = all_applied && r.state == State::kApplied;

  if (json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : rows) {
      out.push_back({{"module", r.module},
                     {"version", r.version},
                     {"name", r.name},
                     {"state", std::string(to_string(r.state))},
                     {"file", r.file ? nlohmann::json(r.file->file_name) : nlohmann::json(nullptr)},
                     {"applied_at", r.applied_at.empty() ? nlohmann::json(nullptr)
                                                         : nlohmann::json(r.applied_at)}});
    }
    std::puts(out.dump().c_str());
  } else {
    std::puts(
        fmt::format("{:<16} {:<9} {:<25} {}", "VERSION", "STATE", "APPLIED_AT", "FILE").c_str());
    for (const auto& r : rows)
      std::puts(fmt::format("{:<16} {:<9} {:<25} {}", r.version, to_string(r.state),
                            r.applied_at.empty() ? "-" : r.applied_at,
                            r.file ? r.file->file_name : "(" + r.name + ", no file)")
                    .c_str());
  }
  return exit_code && !all_applied ? exit_code::kFailure : exit_code::kOk;
}

}  // namespace ballast::migrate
