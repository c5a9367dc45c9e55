// `migrate schema`, `migrate drift`, and what apply records after a change (schema.hpp).
#include <fmt/format.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "common/error.hpp"
#include "common/exit_code.hpp"
#include "common/fd.hpp"
#include "common/log.hpp"
#include "migrate/commands.hpp"
#include "migrate/schema.hpp"

namespace ballast::migrate {
namespace {

// The schema recorded at the last apply that changed something, or nullopt.
std::optional<std::vector<SchemaEntry>> recorded_schema(Database& db) {
  const auto json = db.recorded_schema();
  if (!json) return std::nullopt;
  return schema_from_json(*json);
}

std::vector<SchemaEntry> live_schema(const Config& config, Database& db) {
  return read_schema(db, config.target.backend, config.history.table);
}

}  // namespace

void record_schema_after_apply(const Config& config, Database& db, const std::string& module,
                               const Version& last) {
  const auto entries = live_schema(config, db);
  db.record_schema(schema_json(entries), module, last);
  if (config.schema_file) {
    write_file_atomic(*config.schema_file, schema_text(entries));
    log::info("wrote the schema ({} objects) to {}", entries.size(), *config.schema_file);
  }
}

std::optional<std::vector<std::string>> drift_of(const Config& config, Database& db) {
  const auto recorded = recorded_schema(db);
  if (!recorded) return std::nullopt;
  return schema_drift(*recorded, live_schema(config, db));
}

int schema_command(const Config& config, const OpenDatabase& open) {
  auto db = open(false);
  std::fputs(schema_text(live_schema(config, *db)).c_str(), stdout);
  return exit_code::kOk;
}

int drift_command(const Config& config, const OpenDatabase& open, bool json) {
  auto db = open(false);
  const auto drift = drift_of(config, *db);
  if (json) {
    const nlohmann::ordered_json out = {
        {"recorded", drift.has_value()},
        {"drift", drift ? nlohmann::ordered_json(!drift->empty()) : nullptr},
        {"changes", drift ? nlohmann::ordered_json(*drift) : nlohmann::ordered_json::array()}};
    std::puts(out.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace).c_str());
  }
  if (!drift) {
    log::error(
        "no schema recorded in {}: it is recorded by every apply that changes something "
        "(run migrate apply once with this version)",
        db->describe());
    return exit_code::kFailure;
  }
  if (!json)
    for (const auto& line : *drift) std::puts(line.c_str());
  if (drift->empty()) {
    log::info("no drift: {} matches the schema recorded at the last apply", db->describe());
    return exit_code::kOk;
  }
  log::warn("drift: {} change{} to {} since the last apply, made outside migrate", drift->size(),
            drift->size() == 1 ? "" : "s", db->describe());
  return exit_code::kFailure;
}

}  // namespace ballast::migrate
