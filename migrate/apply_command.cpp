#include "migrate/commands.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <map>
#include <memory>
#include <stdexcept>
#include <utility>
#include <vector>

#include "common/duration.hpp"
#include "common/error.hpp"
#include "common/exit_code.hpp"
#include "common/log.hpp"
#include "migrate/backup.hpp"
#include "migrate/workspace.hpp"

namespace ballast::migrate {
namespace {

// The applied row written last: the greatest applied_at (ISO 8601 text on both engines, so text
// order is time order); among rows of one instant (one transaction) the last in history order,
// which is the order they were applied in.
const AppliedRow* newest_applied(const std::vector<AppliedRow>& history) {
  const AppliedRow* newest = nullptr;
  for (const auto& r : history)
    if (r.state == "applied" && (newest == nullptr || r.applied_at >= newest->applied_at))
      newest = &r;
  return newest;
}

}  // namespace

int apply_command(const Config& config, const OpenDatabase& open) {
  const auto started = std::chrono::steady_clock::now();
  // Files are read and checked before anything is written: a bad folder changes nothing. They
  // are read and hashed first and analysed once the history is read, only where it does not
  // hold them as applied with the same bytes (those never run again): on a folder of hundreds
  // of applied files that analysis is most of an apply with nothing to do. The folder is
  // analysed whole before connecting where connecting could wait or create: a PostgreSQL
  // server waited for (--wait-timeout) is not waited for to learn the folder is bad, and a
  // SQLite file is not created for a bad folder.
  struct stat st {};
  const bool defer = config.target.backend == Backend::kSqlite
                         ? ::stat(config.target.location.c_str(), &st) == 0
                         : config.wait_timeout == std::chrono::milliseconds::zero();
  Workspace w = load_workspace(config, false, defer);
  std::unique_ptr<Database> db;
  std::vector<AppliedRow> history;
  try {
    db = open(true);
    db->set_statement_limits(
        {config.pg_lock_timeout, config.pg_statement_timeout, config.pg_lock_retries});
    db->acquire_lock(config.lock_timeout);
    // Judged before anything is written (not even the history table): a refusal changes
    // nothing.
    history = db->applied();
  } catch (const std::exception&) {
    // The folder's own problems first, as when it is analysed before connecting: a server that
    // is down is the next thing to fix, not the first.
    if (defer) analyse_unsettled(w, config, {});
    throw;
  }
  if (defer) analyse_unsettled(w, config, history);
  const Judged j = judge_all(w, history, policy_of(config), config.only_module.has_value());
  if (const auto blocking = only_blocking(j.problems); !blocking.empty())
    refuse("refusing to apply, nothing changed", blocking);
  warn_all(j.problems, config.mode.mode == Mode::kProd);

  std::size_t applied = 0;
  std::size_t already = 0;
  std::vector<std::pair<const Source*, const Migration*>> pending;
  for (const auto& [source, rows] : j.rows) {
    for (const auto& r : rows) {
      if (r.state == State::kPending) {
        // analyse_unsettled analysed every file that is not applied with the same bytes.
        if (!r.file->analysed)
          throw std::logic_error("a file read only to hash it is pending: " + r.file->file_name);
        pending.emplace_back(source, r.file);
      } else if (r.state == State::kApplied || r.state == State::kChanged)
        ++already;
    }
  }
  // --single-transaction is checked whole before anything is written (not even the history
  // table): every file it cannot wrap is named, and a refusal changes nothing.
  std::map<std::string, std::vector<const Migration*>> by_module;
  if (config.single_transaction && !pending.empty()) {
    std::vector<Problem> cannot;
    for (const auto& [source, m] : pending)
      if (m->no_transaction)
        cannot.push_back({source->shown(m->file_name),
                          "a no-transaction migration: it cannot run inside one transaction "
                          "(apply without --single-transaction)",
                          true, "single-transaction"});
    if (!cannot.empty()) refuse("refusing --single-transaction, nothing changed", cannot);
    // One transaction per source namespace would not be all-or-nothing; modules go in the same one.
    for (const auto& [source, m] : pending) by_module[source->module].push_back(m);
    if (by_module.size() > 1)
      throw UsageError(
          "--single-transaction covers one namespace at a time: add --module ID, or apply the "
          "modules in their own runs");
  }
  // The snapshot comes before anything changes, and a snapshot that cannot be written stops the
  // run: a release that asked for a way back never goes ahead without one.
  if (config.backup_dir && !pending.empty()) take_backup(config, *db, history);
  db->ensure_history();
  std::pair<const Source*, const Migration*> last{nullptr, nullptr};  // applied last
  if (config.single_transaction && !pending.empty()) {
    db->apply_batch(by_module.begin()->second, by_module.begin()->first);
    applied = pending.size();
    last = pending.back();
    log::info("applied {} migration{} in one transaction", applied, applied == 1 ? "" : "s");
  } else {
    for (const auto& [source, m] : pending) {
      const auto t0 = std::chrono::steady_clock::now();
      if (m->no_transaction) {
        db->apply_no_transaction(*m, source->module);
      } else if (!db->apply(*m, source->module, true)) {
        ++already;
        log::info("skipped {}: another runner applied it", source->shown(m->file_name));
        continue;
      }
      ++applied;
      last = {source, m};
      const auto took = std::chrono::steady_clock::now() - t0;
      log::with({{"file", source->shown(m->file_name)},
                 {"version", m->version.text()},
                 {"duration_ms", took}})
          .info("applied {} in {}{}", source->shown(m->file_name), format_duration(took),
                m->no_transaction ? " (no transaction)" : "");
    }
  }
  if (last.second != nullptr) {
    record_schema_after_apply(config, *db, last.first->module, last.second->version);
  } else if (const AppliedRow* newest = newest_applied(history);
             newest != nullptr &&
             db->schema_recorded_on() != std::pair(newest->module, newest->version.text())) {
    // A run killed after its last file committed and before it recorded the schema (or rows
    // adopted from another tool): recorded now, so drift compares with the schema as applied.
    log::info("recording the schema as of {}: the apply that reached it did not",
              newest->version.text());
    record_schema_after_apply(config, *db, newest->module, newest->version);
  }
  db->release_lock();
  const auto took = std::chrono::steady_clock::now() - started;
  log::with({{"applied", applied},
             {"already_applied", already},
             {"database", db->describe()},
             {"duration_ms", took}})
      .info("{} migration{} applied, {} already applied, to {} in {}", applied,
            applied == 1 ? "" : "s", already, db->describe(), format_duration(took));
  return exit_code::kOk;
}

}  // namespace ballast::migrate
