#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "migrate/commands.hpp"
#include "migrate/database.hpp"

namespace ballast::testing {

// An in-memory history that records every call a command makes, so the command logic (what
// is applied, in which order, what is never written on a refusal) is tested without an engine.
// Survives the commands' open/close: the state lives in a shared Store.
class FakeDatabase final : public migrate::Database {
 public:
  struct Store {
    std::vector<migrate::AppliedRow> rows;
    std::vector<std::string> calls;
    std::optional<migrate::Version> fail_version;  // apply() of this version throws DataError
    bool reachable = true;                         // false: opening throws UnavailableError
    int opened = 0;
    std::string schema;                             // the last record_schema()
    std::pair<std::string, std::string> schema_on;  // its row: module, version
  };

  explicit FakeDatabase(std::shared_ptr<Store> store) : s_(std::move(store)) {}

  // An OpenDatabase over `store`, as run.cpp would pass the real one.
  static migrate::OpenDatabase opener(const std::shared_ptr<Store>& store) {
    return [store](bool writable) -> std::unique_ptr<migrate::Database> {
      ++store->opened;
      if (!store->reachable) throw UnavailableError("fake: unreachable");
      store->calls.push_back(writable ? "open rw" : "open ro");
      return std::make_unique<FakeDatabase>(store);
    };
  }

  void ensure_history() override { s_->calls.push_back("ensure_history"); }
  std::vector<migrate::AppliedRow> applied() override { return s_->rows; }
  void acquire_lock(std::chrono::milliseconds) override { s_->calls.push_back("lock"); }
  void release_lock() override { s_->calls.push_back("unlock"); }

  bool apply(const migrate::Migration& m, const std::string& module, bool) override {
    s_->calls.push_back("apply " + m.file_name);
    if (s_->fail_version == m.version) throw DataError(m.file_name + " failed at line 1: fake");
    record(m, module);
    return true;
  }
  void apply_batch(const std::vector<const migrate::Migration*>& batch,
                   const std::string& module) override {
    s_->calls.push_back("apply_batch " + std::to_string(batch.size()));
    for (const auto* m : batch)
      if (s_->fail_version == m->version) throw DataError(m->file_name + " failed: fake");
    for (const auto* m : batch) record(*m, module);
  }
  void apply_no_transaction(const migrate::Migration& m, const std::string& module) override {
    s_->calls.push_back("apply_no_transaction " + m.file_name);
    record(m, module);
  }
  void resolve(const std::string&, const migrate::Version& version, bool,
               const std::string&) override {
    s_->calls.push_back("resolve " + version.text());
  }
  bool has_table(const std::string&) override { return false; }
  std::vector<std::vector<std::optional<std::string>>> read_rows(const std::string&) override {
    return {};
  }
  std::size_t record_applied(const std::vector<const migrate::Migration*>& files,
                             const std::string& module) override {
    for (const auto* m : files) record(*m, module);
    return files.size();
  }
  void backup_to(const std::string& path) override { s_->calls.push_back("backup " + path); }
  void record_schema(const std::string& schema_json, const std::string& module,
                     const migrate::Version& version) override {
    s_->schema = schema_json;
    s_->schema_on = {module, version.text()};
  }
  std::optional<std::string> recorded_schema() override {
    if (s_->schema.empty()) return std::nullopt;
    return s_->schema;
  }
  std::optional<std::pair<std::string, std::string>> schema_recorded_on() override {
    if (s_->schema.empty()) return std::nullopt;
    return s_->schema_on;
  }
  std::string describe() const override { return "fake:"; }

 private:
  void record(const migrate::Migration& m, const std::string& module) {
    migrate::AppliedRow r;
    r.module = module;
    r.version = m.version;
    r.name = m.name;
    r.sha256 = m.sha256;
    r.applied_at = "2026-01-01T00:00:00Z";
    r.state = "applied";
    s_->rows.push_back(r);
  }

  std::shared_ptr<Store> s_;
};

}  // namespace ballast::testing
