#include "migrate/commands.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>

#include "common/duration.hpp"
#include "common/error.hpp"
#include "common/exit_code.hpp"
#include "common/fd.hpp"
#include "common/log.hpp"
#include "migrate/ledger.hpp"
#include "migrate/review_policy.hpp"
#include "migrate/sha256.hpp"
#include "migrate/sql_split.hpp"
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
  return open_database(config.target, config.history, config.wait_timeout, creating);
}

PolicyOptions policy_of(const Config& c) {
  return PolicyOptions{c.mode.mode == Mode::kProd, c.allow_changed, c.allow_out_of_order};
}

[[noreturn]] void refuse(std::string_view what, const std::vector<Problem>& blocking) {
  std::string all =
      fmt::format("{} ({} problem{}):", what, blocking.size(), blocking.size() == 1 ? "" : "s");
  for (const auto& p : blocking) all += fmt::format("\n  {}: {}", p.file, p.reason);
  throw DataError(all);
}

std::vector<Problem> only_blocking(const std::vector<Problem>& problems) {
  std::vector<Problem> out;
  std::copy_if(problems.begin(), problems.end(), std::back_inserter(out),
               [](const Problem& p) { return p.blocking; });
  return out;
}

void warn_all(const std::vector<Problem>& problems, bool prod) {
  for (const auto& p : problems)
    if (!p.blocking) log::warn("{}: {}{}", p.file, p.reason, prod ? "" : " (refused in prod)");
}

// The reason a row is refused, if a blocking problem names its file.
std::string refusal_of(const StatusRow& r, const std::vector<Problem>& problems) {
  const std::string name = r.file ? r.file->file_name : r.name;
  for (const auto& p : problems)
    if (p.blocking && p.file == name) return p.reason;
  return {};
}

void require_not_prod(const Config& c, std::string_view command) {
  if (c.mode.mode == Mode::kProd)
    throw ConfigError(fmt::format(
        "'migrate {}' is refused in prod (mode from {}): review and write migrations in "
        "development, then deploy them",
        command, c.mode.source));
}

}  // namespace

int apply_command(const Config& config) {
  const auto started = std::chrono::steady_clock::now();
  // Files are read and checked before the database is touched: a bad folder changes nothing.
  const std::vector<Migration> files = scan_migrations(config.dir);
  const Ledger ledger = load_ledger(config.dir);
  auto db = connect(config, true);
  db->acquire_lock(config.lock_timeout);
  // Judged before anything is written (not even the history table): a refusal changes nothing.
  const auto rows = compute_status(files, db->applied(), kCoreModule);
  const auto problems = judge(rows, ledger, policy_of(config));
  if (const auto blocking = only_blocking(problems); !blocking.empty())
    refuse("refusing to apply, nothing changed", blocking);
  warn_all(problems, config.mode.mode == Mode::kProd);

  std::vector<const Migration*> pending;
  std::size_t already = 0;
  for (const auto& r : rows) {
    if (r.state == State::kPending)
      pending.push_back(r.file);
    else if (r.state == State::kApplied || r.state == State::kChanged)
      ++already;
  }
  db->ensure_history();
  std::size_t applied = 0;
  if (config.single_transaction && !pending.empty()) {
    for (const Migration* m : pending)
      if (m->no_transaction)
        throw DataError(fmt::format(
            "{} is a no-transaction migration: it cannot run inside --single-transaction",
            m->file_name));
    db->apply_batch(pending, kCoreModule);
    applied = pending.size();
    log::info("applied {} migration{} in one transaction", applied, applied == 1 ? "" : "s");
  } else {
    for (const Migration* m : pending) {
      const auto t0 = std::chrono::steady_clock::now();
      if (m->no_transaction) {
        db->apply_no_transaction(*m, kCoreModule);
      } else if (!db->apply(*m, kCoreModule, true)) {
        ++already;
        log::info("skipped {}: another runner applied it", m->file_name);
        continue;
      }
      ++applied;
      log::info("applied {} in {}{}", m->file_name,
                format_duration(std::chrono::steady_clock::now() - t0),
                m->no_transaction ? " (no transaction)" : "");
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
  const Ledger ledger = load_ledger(config.dir);
  auto db = connect(config, false);
  const auto rows = compute_status(files, db->applied(), kCoreModule);
  const auto problems = judge(rows, ledger, policy_of(config));
  bool all_applied = true;
  for (const auto& r : rows) all_applied = all_applied && r.state == State::kApplied;

  if (json) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& r : rows) {
      const std::string refused = refusal_of(r, problems);
      nlohmann::ordered_json row = {
          {"module", r.module},
          {"version", r.version},
          {"name", r.name},
          {"state", refused.empty() ? std::string(to_string(r.state)) : "refused"},
          {"file", r.file ? nlohmann::ordered_json(r.file->file_name) : nullptr},
          {"applied_at", r.applied_at.empty() ? nlohmann::ordered_json(nullptr)
                                              : nlohmann::ordered_json(r.applied_at)}};
      if (!refused.empty()) row["reason"] = refused;
      out.push_back(std::move(row));
    }
    std::puts(out.dump().c_str());
  } else {
    std::puts(
        fmt::format("{:<16} {:<9} {:<25} {}", "VERSION", "STATE", "APPLIED_AT", "FILE").c_str());
    for (const auto& r : rows) {
      const std::string refused = refusal_of(r, problems);
      std::puts(fmt::format("{:<16} {:<9} {:<25} {}{}", r.version,
                            refused.empty() ? to_string(r.state) : "refused",
                            r.applied_at.empty() ? "-" : r.applied_at,
                            r.file ? r.file->file_name : "(" + r.name + ", no file)",
                            refused.empty() ? "" : "  # " + refused)
                    .c_str());
    }
  }
  return exit_code && !all_applied ? exit_code::kFailure : exit_code::kOk;
}

int plan_command(const Config& config) {
  const std::vector<Migration> files = scan_migrations(config.dir);
  const Ledger ledger = load_ledger(config.dir);
  auto db = connect(config, false);
  const auto rows = compute_status(files, db->applied(), kCoreModule);
  const auto problems = judge(rows, ledger, policy_of(config));
  const auto blocking = only_blocking(problems);
  std::size_t pending = 0;
  for (const auto& r : rows) {
    if (r.state != State::kPending) continue;
    ++pending;
    std::puts(fmt::format("{} {}{}", blocking.empty() ? "would apply" : "would not apply",
                          r.file->file_name,
                          r.file->no_transaction ? " (no transaction, statement by statement)" : "")
                  .c_str());
  }
  for (const auto& p : problems)
    std::puts(
        fmt::format("{}: {}: {}", p.blocking ? "refused" : "warning", p.file, p.reason).c_str());
  std::puts(
      fmt::format("plan: {} pending, {}; {} to {}", pending,
                  blocking.empty() ? "apply would go ahead" : "apply would refuse",
                  config.single_transaction ? "in one transaction" : "one transaction per file",
                  db->describe())
          .c_str());
  return blocking.empty() ? exit_code::kOk : exit_code::kData;
}

int verify_command(const Config& config, const std::string& dialect) {
  const std::vector<Migration> files =
      scan_migrations(config.dir);  // names, duplicates, up sections
  const Ledger ledger = load_ledger(config.dir);
  std::vector<Problem> problems = review_problems(files, ledger);
  if (dialect == "postgres") {
    for (const auto& m : files)
      if (auto err = postgres_syntax_error(m.sql))
        problems.push_back({m.file_name, "syntax error at " + *err, true});
  } else {
    // SQLite cannot check a statement without the tables it names: run every file, in order,
    // against an empty in-memory database.
    sqlite3* raw = nullptr;
    sqlite3_open(":memory:", &raw);
    std::unique_ptr<sqlite3, int (*)(sqlite3*)> mem(raw, sqlite3_close);
    for (const auto& m : files) {
      char* err = nullptr;
      if (sqlite3_exec(mem.get(), m.sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        problems.push_back({m.file_name,
                            fmt::format("fails on an empty SQLite database: {}", err ? err : "?"),
                            true});
        sqlite3_free(err);
      }
    }
  }
  if (!problems.empty()) refuse(fmt::format("verify found problems in {}", config.dir), problems);
  std::puts(
      fmt::format("verify: {} migration{} in {} are named, reviewed, hand-written and parse as {}",
                  files.size(), files.size() == 1 ? "" : "s", config.dir, dialect)
          .c_str());
  return exit_code::kOk;
}

int review_command(const Config& config, const std::vector<std::string>& names, bool all) {
  require_not_prod(config, "review");
  const std::vector<Migration> files = scan_migrations(config.dir);
  Ledger ledger = load_ledger(config.dir);
  std::vector<const Migration*> chosen;
  if (all) {
    for (const auto& m : files) chosen.push_back(&m);
  } else {
    if (names.empty()) throw UsageError("review needs FILE... or --all");
    for (const auto& n : names) {
      const std::string base = n.substr(n.find_last_of('/') + 1);
      const auto it = std::find_if(files.begin(), files.end(),
                                   [&](const Migration& m) { return m.file_name == base; });
      if (it == files.end())
        throw UsageError(fmt::format("{} is not a migration in {}", n, config.dir));
      chosen.push_back(&*it);
    }
  }
  std::vector<Problem> generated;
  for (const Migration* m : chosen)
    if (m->generated)
      generated.push_back(
          {m->file_name, "generated (" + *m->generated + "): write it by hand", true});
  if (!generated.empty()) refuse("refusing to record generated files as reviewed", generated);
  for (const Migration* m : chosen) {
    ledger.sha256_by_file[m->file_name] = m->sha256;
    std::puts(fmt::format("{}  {}", m->sha256, m->file_name).c_str());
  }
  write_file_atomic(config.dir + "/" + kLedgerName, format_ledger(ledger));
  log::info("recorded {} file{} in {}/{}", chosen.size(), chosen.size() == 1 ? "" : "s", config.dir,
            kLedgerName);
  return exit_code::kOk;
}

int new_command(const Config& config, const std::string& name) {
  require_not_prod(config, "new");
  const bool ok_name = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
  if (!ok_name)
    throw UsageError(fmt::format("invalid name '{}': use lowercase letters, digits and _", name));
  const std::vector<Migration> files = scan_migrations(config.dir);
  std::string version;
  const bool timestamps = !files.empty() && files.back().version >= 10000000000000ULL;
  if (timestamps) {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y%m%d%H%M%S", &tm);
    version = buf;
  } else {
    const std::uint64_t next = files.empty() ? 1 : files.back().version + 1;
    version = fmt::format("{:04}", next);
  }
  const std::string path = fmt::format("{}/{}_{}.sql", config.dir, version, name);
  std::error_code ec;
  Fd fd = open_fd(path, O_WRONLY | O_CREAT | O_EXCL, ec, 0644);
  if (!fd) throw errno_error(ec.value(), "create " + path);
  const std::string body = fmt::format(
      "-- {}\n-- Written by hand. After review, record it: migrate review {}\n\n", name, path);
  if (::write(fd.get(), body.data(), body.size()) != static_cast<ssize_t>(body.size()))
    throw errno_error("write " + path);
  std::puts(path.c_str());
  return exit_code::kOk;
}

int resolve_command(const Config& config, const std::string& version_text, bool applied) {
  std::uint64_t version = 0;
  const auto [end, ec] =
      std::from_chars(version_text.data(), version_text.data() + version_text.size(), version);
  if (ec != std::errc() || end != version_text.data() + version_text.size())
    throw UsageError(fmt::format(
        "invalid version '{}': give the number, e.g. migrate resolve 3 --applied", version_text));
  const std::vector<Migration> files = scan_migrations(config.dir);
  const auto it = std::find_if(files.begin(), files.end(),
                               [&](const Migration& m) { return m.version == version; });
  if (applied && it == files.end())
    throw DataError(
        fmt::format("no migration file with version {} in {}: --applied records its hash", version,
                    config.dir));
  auto db = connect(config, true);
  db->acquire_lock(config.lock_timeout);
  db->resolve(kCoreModule, version, applied, it == files.end() ? "" : it->sha256);
  db->release_lock();
  log::info("version {} resolved as {}", version,
            applied ? "applied" : "rolled back (it will run again)");
  return exit_code::kOk;
}

}  // namespace ballast::migrate
