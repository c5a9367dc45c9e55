#include "migrate/workspace.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <iterator>
#include <set>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "common/error.hpp"
#include "common/log.hpp"
#include "migrate/generated.hpp"
#include "migrate/modules.hpp"

namespace ballast::migrate {
namespace {

// The files of one folder; their problems thrown (every one listed) unless collected.
std::vector<Migration> read_folder(const std::string& dir, const std::string& module,
                                   const ScanOptions& options, std::vector<Problem>* collect) {
  if (collect == nullptr) return scan_migrations(dir, options);
  auto scan = scan_folder(dir, options);
  for (auto& p : scan.problems) {
    if (!module.empty()) p.file = module + "/" + p.file;
    collect->push_back(std::move(p));
  }
  return std::move(scan.files);
}

}  // namespace

Workspace load_workspace(const Config& c, bool collect_problems, bool defer_analysis) {
  Workspace w;
  std::vector<Problem>* collect = collect_problems ? &w.scan_problems : nullptr;
  ScanOptions options = scan_options(c);
  options.defer_analysis = defer_analysis;
  if (!c.only_module)
    w.sources.push_back({"", c.dir, read_folder(c.dir, "", options, collect), load_ledger(c.dir)});
  if (auto mods = load_modules(c.modules_path, c.mode.mode)) {
    w.pin_problems = check_pins(
        *mods, PinOptions{c.mode.mode == Mode::kProd, c.allow_prerelease, c.strict_pins});
    for (const auto& m : mods->modules) {
      w.listed_modules.push_back(m.id);
      if (!m.enabled || (c.only_module && *c.only_module != m.id)) continue;
      w.sources.push_back({m.id, m.migrations_dir,
                           read_folder(m.migrations_dir, m.id, options, collect),
                           load_ledger(m.migrations_dir)});
    }
  }
  if (c.only_module && w.sources.empty())
    throw UsageError(fmt::format("--module {}: no enabled module with that id in the modules file",
                                 *c.only_module));
  return w;
}

void analyse_unsettled(Workspace& w, const Config& c, const std::vector<AppliedRow>& history) {
  const ScanOptions options = scan_options(c);
  for (auto& s : w.sources) {
    // compute_status's rule: the last history row of the version decides.
    std::unordered_map<std::string_view, const AppliedRow*> by_version;
    for (const auto& row : history)
      if (row.module == s.module) by_version[row.version.text()] = &row;
    std::optional<std::optional<std::string>> folder_mark;  // looked up once, if needed
    std::vector<Problem> problems;
    for (auto& m : s.files) {
      if (m.analysed) continue;
      const auto it = by_version.find(m.version.text());
      if (it != by_version.end() && it->second->state == "applied" &&
          it->second->sha256 == m.sha256)
        continue;
      if (!folder_mark) folder_mark = generator_folder_mark(s.dir);
      if (auto p = analyse_migration(m, s.dir, options, *folder_mark))
        problems.push_back(std::move(*p));
    }
    throw_blocking(s.dir, std::move(problems));
  }
}

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
    for (const auto& id : unlisted) {
      for (auto& r : compute_status({}, history, id)) {
        r.state = State::kMissing;  // a module taken out of the file, not a newer release
        j.unlisted.push_back(r);
      }
    }
  }
  return j;
}

std::unique_ptr<Database> connect(const Config& config, bool creating) {
  static bool announced = false;  // once, even when `migrate wait` connects again and again
  if (config.embedded_default) {
    if (!std::exchange(announced, true))
      log::info("no DATABASE_URL given: using the embedded default sqlite:{} (mode {})",
                kEmbeddedDefault, to_string(config.mode.mode));
    if (creating && ::mkdir("./data", 0750) != 0 && errno != EEXIST)
      throw errno_error("create ./data");
  }
  return open_database(config.target, config.history, config.wait_timeout, creating);
}

PolicyOptions policy_of(const Config& c) {
  return PolicyOptions{
      c.mode.mode == Mode::kProd, c.allow_changed, c.allow_out_of_order,
      c.target.backend == Backend::kPostgres ? SqlDialect::kPostgres : SqlDialect::kSqlite,
      lint_options(c)};
}

std::string files_dialect(const Config& c, std::optional<DialectHint>* hint) {
  if (c.dialect_given) return c.dialect;
  auto found = dialect_hint(c.dir);
  std::string dialect = found ? found->dialect : c.dialect;
  if (hint != nullptr) *hint = std::move(found);
  return dialect;
}

SqlDialect sql_dialect(std::string_view dialect) {
  return dialect == "postgres" ? SqlDialect::kPostgres : SqlDialect::kSqlite;
}

LintOptions lint_options(const Config& c) { return LintOptions{c.pg_lock_timeout.count() > 0}; }

std::vector<Problem> only_blocking(const std::vector<Problem>& problems) {
  std::vector<Problem> out;
  std::copy_if(problems.begin(), problems.end(), std::back_inserter(out),
               [](const Problem& p) { return p.blocking; });
  return out;
}

void warn_all(const std::vector<Problem>& problems, bool prod) {
  for (const auto& p : problems)
    if (!p.blocking)
      log::with({{"file", p.file}, {"rule", p.rule}})
          .warn("{}: {}{}", p.file, p.reason, prod ? "" : " (refused in prod)");
}

void require_not_prod(const Config& c, std::string_view command) {
  if (c.mode.mode == Mode::kProd)
    throw ConfigError(fmt::format(
        "'migrate {}' is refused in prod (mode from {}): review and write migrations in "
        "development, then deploy them",
        command, c.mode.source));
}

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

}  // namespace ballast::migrate
