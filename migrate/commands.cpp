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
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "common/duration.hpp"
#include "common/error.hpp"
#include "common/exit_code.hpp"
#include "common/fd.hpp"
#include "common/log.hpp"
#include "migrate/adopt.hpp"
#include "migrate/ledger.hpp"
#include "migrate/modules.hpp"
#include "migrate/review_policy.hpp"
#include "migrate/sha256.hpp"
#include "migrate/sql_split.hpp"
#include "migrate/status.hpp"

namespace ballast::migrate {
namespace {

const std::string kCoreModule;

// One folder of migrations with its own version namespace: the application's own ("") or a
// module's.
struct Source {
  std::string module;
  std::string dir;
  std::vector<Migration> files;
  Ledger ledger;

  // How a file of this source is named in messages: "0001_x.sql" or "billing/0001_x.sql".
  std::string shown(const std::string& file) const {
    return module.empty() ? file : module + "/" + file;
  }
};

struct Workspace {
  std::vector<Source> sources;
  std::vector<Problem> pin_problems;
  std::vector<std::string> listed_modules;  // every module in the file, enabled or not
};

// Reads the core folder and every enabled module's folder (core first, modules in file
// order), checking the modules' pins. Nothing touches the database.
Workspace load_workspace(const Config& c) {
  Workspace w;
  if (!c.only_module) w.sources.push_back({"", c.dir, scan_migrations(c.dir), load_ledger(c.dir)});
  if (auto mods = load_modules(c.modules_path, c.mode.mode)) {
    w.pin_problems = check_pins(
        *mods, PinOptions{c.mode.mode == Mode::kProd, c.allow_prerelease, c.strict_pins});
    for (const auto& m : mods->modules) {
      w.listed_modules.push_back(m.id);
      if (!m.enabled || (c.only_module && *c.only_module != m.id)) continue;
      w.sources.push_back({m.id, m.migrations_dir, scan_migrations(m.migrations_dir),
                           load_ledger(m.migrations_dir)});
    }
  }
  if (c.only_module && w.sources.empty())
    throw UsageError(fmt::format("--module {}: no enabled module with that id in the modules file",
                                 *c.only_module));
  return w;
}

// Status rows and policy problems of every source against the history, plus rows for modules
// that have history but are no longer listed (shown as missing, not an error).
struct Judged {
  std::vector<std::pair<const Source*, std::vector<StatusRow>>> rows;
  std::vector<StatusRow> unlisted;
  std::vector<Problem> problems;
};

Judged judge_all(const Workspace& w, const std::vector<AppliedRow>& history,
                 const PolicyOptions& policy, bool only_module) {
  Judged j;
  j.problems = w.pin_problems;
  std::set<std::string> known;
  for (const auto& s : w.sources) {
    known.insert(s.module);
    auto rows = compute_status(s.files, history, s.module);
    for (auto p : judge(rows, s.ledger, policy)) {
      p.file = s.shown(p.file);
      j.problems.push_back(std::move(p));
    }
    j.rows.emplace_back(&s, std::move(rows));
  }
  if (!only_module) {
    for (const auto& id : w.listed_modules) known.insert(id);  // disabled: skipped, not missing
    std::set<std::string> unlisted;
    for (const auto& h : history)
      if (!known.count(h.module)) unlisted.insert(h.module);
    for (const auto& id : unlisted)
      for (auto& r : compute_status({}, history, id)) j.unlisted.push_back(r);
  }
  return j;
}

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
  const Workspace w = load_workspace(config);
  auto db = connect(config, true);
  db->acquire_lock(config.lock_timeout);
  // Judged before anything is written (not even the history table): a refusal changes nothing.
  const Judged j = judge_all(w, db->applied(), policy_of(config), config.only_module.has_value());
  if (const auto blocking = only_blocking(j.problems); !blocking.empty())
    refuse("refusing to apply, nothing changed", blocking);
  warn_all(j.problems, config.mode.mode == Mode::kProd);

  std::size_t applied = 0;
  std::size_t already = 0;
  std::vector<std::pair<const Source*, const Migration*>> pending;
  for (const auto& [source, rows] : j.rows) {
    for (const auto& r : rows) {
      if (r.state == State::kPending)
        pending.emplace_back(source, r.file);
      else if (r.state == State::kApplied || r.state == State::kChanged)
        ++already;
    }
  }
  db->ensure_history();
  if (config.single_transaction && !pending.empty()) {
    for (const auto& [source, m] : pending)
      if (m->no_transaction)
        throw DataError(fmt::format(
            "{} is a no-transaction migration: it cannot run inside --single-transaction",
            source->shown(m->file_name)));
    // One transaction per source namespace would not be all-or-nothing; modules go in the same one.
    std::map<std::string, std::vector<const Migration*>> by_module;
    for (const auto& [source, m] : pending) by_module[source->module].push_back(m);
    if (by_module.size() > 1)
      throw UsageError(
          "--single-transaction covers one namespace at a time: add --module ID, or apply the "
          "modules "
          "in their own runs");
    db->apply_batch(by_module.begin()->second, by_module.begin()->first);
    applied = pending.size();
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
      log::info("applied {} in {}{}", source->shown(m->file_name),
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

namespace {

// Every row of the judged workspace with the name it is shown under.
struct ShownRow {
  std::string shown;  // "0001_x.sql", "billing/0001_x.sql", or "(name, no file)"
  const StatusRow* row;
};

std::vector<ShownRow> shown_rows(const Judged& j) {
  std::vector<ShownRow> out;
  for (const auto& [source, rows] : j.rows)
    for (const auto& r : rows)
      out.push_back({source->shown(r.file ? r.file->file_name : r.name), &r});
  for (const auto& r : j.unlisted) out.push_back({r.module + "/" + r.name, &r});
  return out;
}

std::string refusal_for(const std::string& shown, const std::vector<Problem>& problems) {
  for (const auto& p : problems)
    if (p.blocking && p.file == shown) return p.reason;
  return {};
}

}  // namespace

int status_command(const Config& config, bool json, bool exit_code) {
  const Workspace w = load_workspace(config);
  auto db = connect(config, false);
  const Judged j = judge_all(w, db->applied(), policy_of(config), config.only_module.has_value());
  const auto rows = shown_rows(j);
  bool all_applied = true;
  for (const auto& r : rows) all_applied = all_applied && r.row->state == State::kApplied;

  if (json) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& [shown, r] : rows) {
      const std::string refused = refusal_for(shown, j.problems);
      nlohmann::ordered_json row = {
          {"module", r->module},
          {"version", r->version},
          {"name", r->name},
          {"state", refused.empty() ? std::string(to_string(r->state)) : "refused"},
          {"file", r->file ? nlohmann::ordered_json(r->file->file_name) : nullptr},
          {"applied_at", r->applied_at.empty() ? nlohmann::ordered_json(nullptr)
                                               : nlohmann::ordered_json(r->applied_at)}};
      if (!refused.empty()) row["reason"] = refused;
      out.push_back(std::move(row));
    }
    std::puts(out.dump().c_str());
  } else {
    std::puts(
        fmt::format("{:<16} {:<9} {:<25} {}", "VERSION", "STATE", "APPLIED_AT", "FILE").c_str());
    for (const auto& [shown, r] : rows) {
      const std::string refused = refusal_for(shown, j.problems);
      std::puts(fmt::format("{:<16} {:<9} {:<25} {}{}{}", r->version,
                            refused.empty() ? to_string(r->state) : "refused",
                            r->applied_at.empty() ? "-" : r->applied_at, shown,
                            r->file ? "" : " (no file)", refused.empty() ? "" : "  # " + refused)
                    .c_str());
    }
    for (const auto& p : w.pin_problems)
      std::puts(
          fmt::format("{}: {}: {}", p.blocking ? "refused" : "warning", p.file, p.reason).c_str());
  }
  return exit_code && !all_applied ? exit_code::kFailure : exit_code::kOk;
}

int plan_command(const Config& config) {
  const Workspace w = load_workspace(config);
  auto db = connect(config, false);
  const Judged j = judge_all(w, db->applied(), policy_of(config), config.only_module.has_value());
  const auto blocking = only_blocking(j.problems);
  std::size_t pending = 0;
  for (const auto& [shown, r] : shown_rows(j)) {
    if (r->state != State::kPending) continue;
    ++pending;
    std::puts(
        fmt::format("{} {}{}", blocking.empty() ? "would apply" : "would not apply", shown,
                    r->file->no_transaction ? " (no transaction, statement by statement)" : "")
            .c_str());
  }
  for (const auto& p : j.problems)
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
  const Workspace w = load_workspace(config);  // names, duplicates, up sections, module pins
  std::vector<Problem> problems = only_blocking(w.pin_problems);
  for (const auto& p : w.pin_problems)
    if (!p.blocking) log::warn("{}: {} (refused in prod)", p.file, p.reason);
  std::size_t count = 0;
  for (const auto& s : w.sources) {
    count += s.files.size();
    for (auto p : review_problems(s.files, s.ledger)) {
      p.file = s.shown(p.file);
      problems.push_back(std::move(p));
    }
    if (dialect == "postgres") {
      for (const auto& m : s.files)
        if (auto err = postgres_syntax_error(m.sql))
          problems.push_back({s.shown(m.file_name), "syntax error at " + *err, true});
    } else {
      // SQLite cannot check a statement without the tables it names: run every file of the
      // source, in order, against an empty in-memory database.
      sqlite3* raw = nullptr;
      sqlite3_open(":memory:", &raw);
      std::unique_ptr<sqlite3, int (*)(sqlite3*)> mem(raw, sqlite3_close);
      for (const auto& m : s.files) {
        char* err = nullptr;
        if (sqlite3_exec(mem.get(), m.sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
          problems.push_back({s.shown(m.file_name),
                              fmt::format("fails on an empty SQLite database: {}", err ? err : "?"),
                              true});
          sqlite3_free(err);
        }
      }
    }
  }
  if (!problems.empty()) refuse(fmt::format("verify found problems in {}", config.dir), problems);
  std::puts(
      fmt::format(
          "verify: {} migration{} in {} folder{} are named, reviewed, hand-written and parse as {}",
          count, count == 1 ? "" : "s", w.sources.size(), w.sources.size() == 1 ? "" : "s", dialect)
          .c_str());
  return exit_code::kOk;
}

int pin_command(const Config& config, const std::string& id) {
  require_not_prod(config, "pin");
  const auto mods = load_modules(config.modules_path, config.mode.mode);
  if (!mods) throw UsageError("no modules file: pass --modules FILE or create modules.json");
  const auto it = std::find_if(mods->modules.begin(), mods->modules.end(),
                               [&](const Module& m) { return m.id == id; });
  if (it == mods->modules.end())
    throw UsageError(fmt::format("no module '{}' in {}", id, mods->path));
  const std::string digest = folder_digest(it->migrations_dir);
  write_pin(mods->path, id, digest);
  std::puts(fmt::format("{} {}", id, digest).c_str());
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

int adopt_command(const Config& config, const std::string& from) {
  const auto tool = parse_tool(from);
  if (!tool)
    throw UsageError(fmt::format(
        "invalid --from '{}': use dbmate, golang-migrate, flyway, prisma or drizzle", from));
  const std::vector<Migration> files = scan_migrations(config.dir);
  auto db = connect(config, true);
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
