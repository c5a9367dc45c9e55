#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "common/duration.hpp"
#include "common/error.hpp"
#include "common/exit_code.hpp"
#include "common/log.hpp"
#include "common/retry.hpp"
#include "migrate/commands.hpp"
#include "migrate/workspace.hpp"

namespace ballast::migrate {
namespace {

using json = nlohmann::ordered_json;

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// The state a row is shown in: "refused" when the policy blocks it.
std::string shown_state(const ShownRow& r, const std::vector<Problem>& problems) {
  return refusal_for(r.shown, problems).empty() ? std::string(to_string(r.row->state)) : "refused";
}

// True when this image can serve with the database as it is: none of its own files is
// pending, failed, changed or refused. Rows a newer release applied (ahead) are fine: that is
// a rolling update, not a problem of this image.
bool image_ready(const std::vector<ShownRow>& rows, const Judged& j) {
  for (const auto& p : j.problems)
    if (p.blocking && p.rule == "module-pin") return false;
  for (const auto& r : rows)
    if (!is_ready(r.row->state) || !refusal_for(r.shown, j.problems).empty()) return false;
  return true;
}

}  // namespace

int status_command(const Config& config, const OpenDatabase& open, bool as_json, bool exit_code) {
  const Workspace w = load_workspace(config);
  auto db = open(false);
  const Judged j = judge_all(w, db->applied(), policy_of(config), config.only_module.has_value());
  const auto rows = shown_rows(j);
  const bool ready = image_ready(rows, j);

  if (as_json) {
    // The same for every row: whether the live schema still is the one recorded at the last
    // apply that changed something (null: none recorded yet). See `migrate drift`.
    const auto drift = drift_of(config, *db);
    const json drift_value = drift ? json(!drift->empty()) : json(nullptr);
    json out = json::array();
    for (const auto& r : rows) {
      const std::string refused = refusal_for(r.shown, j.problems);
      json row = {
          {"module", r.row->module},
          {"version", r.row->version.text()},
          {"name", r.row->name},
          {"state", shown_state(r, j.problems)},
          {"file", r.row->file ? json(r.row->file->file_name) : nullptr},
          {"applied_at", r.row->applied_at.empty() ? json(nullptr) : json(r.row->applied_at)},
          {"drift", drift_value}};
      if (!refused.empty()) row["reason"] = refused;
      out.push_back(std::move(row));
    }
    std::puts(dump(out).c_str());
  } else {
    std::puts(
        fmt::format("{:<16} {:<9} {:<25} {}", "VERSION", "STATE", "APPLIED_AT", "FILE").c_str());
    for (const auto& r : rows) {
      const std::string refused = refusal_for(r.shown, j.problems);
      const char* note = r.row->state == State::kAhead ? " (applied by a newer release)"
                         : r.row->file                 ? ""
                                                       : " (no file)";
      std::puts(fmt::format("{:<16} {:<9} {:<25} {}{}{}", r.row->version.text(),
                            shown_state(r, j.problems),
                            r.row->applied_at.empty() ? "-" : r.row->applied_at, r.shown, note,
                            refused.empty() ? "" : "  # " + refused)
                    .c_str());
    }
    for (const auto& p : w.pin_problems)
      std::puts(
          fmt::format("{}: {}: {}", p.blocking ? "refused" : "warning", p.file, p.reason).c_str());
  }
  return exit_code && !ready ? exit_code::kFailure : exit_code::kOk;
}

int plan_command(const Config& config, const OpenDatabase& open, bool as_json) {
  const Workspace w = load_workspace(config);
  auto db = open(false);
  const Judged j = judge_all(w, db->applied(), policy_of(config), config.only_module.has_value());
  const auto blocking = only_blocking(j.problems);
  json pending = json::array();
  for (const auto& r : shown_rows(j)) {
    if (r.row->state != State::kPending) continue;
    pending.push_back({{"file", r.shown},
                       {"version", r.row->version.text()},
                       {"no_transaction", r.row->file->no_transaction}});
    if (!as_json)
      std::puts(fmt::format(
                    "{} {}{}", blocking.empty() ? "would apply" : "would not apply", r.shown,
                    r.row->file->no_transaction ? " (no transaction, statement by statement)" : "")
                    .c_str());
  }
  if (as_json) {
    const json out = {{"would_apply", blocking.empty()},
                      {"database", db->describe()},
                      {"single_transaction", config.single_transaction},
                      {"pending", pending},
                      {"problems", to_json(j.problems)}};
    std::puts(dump(out).c_str());
    return blocking.empty() ? exit_code::kOk : exit_code::kData;
  }
  for (const auto& p : j.problems)
    std::puts(
        fmt::format("{}: {}: {}", p.blocking ? "refused" : "warning", p.file, p.reason).c_str());
  std::puts(
      fmt::format("plan: {} pending, {}; {} to {}", pending.size(),
                  blocking.empty() ? "apply would go ahead" : "apply would refuse",
                  config.single_transaction ? "in one transaction" : "one transaction per file",
                  db->describe())
          .c_str());
  return blocking.empty() ? exit_code::kOk : exit_code::kData;
}

int wait_command(const Config& config, const OpenDatabase& open,
                 std::chrono::milliseconds timeout) {
  const Workspace w = load_workspace(config);
  std::string last = "not tried yet";
  bool reached = false;
  const auto started = std::chrono::steady_clock::now();
  const bool done = retry_with_backoff(
      timeout, std::chrono::milliseconds(500),
      [&](auto) {
        std::unique_ptr<Database> db;
        try {
          db = open(false);
        } catch (const UnavailableError& e) {
          last = e.what();
          return false;
        }
        reached = true;
        const Judged j =
            judge_all(w, db->applied(), policy_of(config), config.only_module.has_value());
        std::vector<std::string> pending;
        for (const auto& r : shown_rows(j)) {
          // Waiting cannot mend these: a person must (migrate resolve, or restore the file).
          if (r.row->state == State::kFailed || r.row->state == State::kChanged)
            throw DataError(
                fmt::format("{} is {}: waiting will not change that; see 'migrate status'", r.shown,
                            to_string(r.row->state)));
          if (r.row->state == State::kPending) pending.push_back(r.shown);
        }
        if (pending.empty()) return true;
        last = fmt::format("{} pending ({}{})", pending.size(), pending.front(),
                           pending.size() > 1 ? ", ..." : "");
        return false;
      },
      [&](std::chrono::nanoseconds elapsed) {
        log::info("waiting for migrations: {} ({} of {})", last, format_duration(elapsed),
                  format_duration(timeout));
      });
  if (done) {
    log::info("every migration of this image is applied (waited {})",
              format_duration(std::chrono::steady_clock::now() - started));
    return exit_code::kOk;
  }
  if (!reached)
    throw UnavailableError(fmt::format("gave up after {}: the database never answered: {}",
                                       format_duration(timeout), last));
  throw TempFailError(
      fmt::format("gave up after {}: still {} (is the release job running 'migrate apply'?)",
                  format_duration(timeout), last));
}

}  // namespace ballast::migrate
