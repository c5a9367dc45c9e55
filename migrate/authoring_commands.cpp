#include "migrate/commands.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <ctime>
#include <optional>
#include "common/duration.hpp"
#include "common/error.hpp"
#include "common/exit_code.hpp"
#include "common/fd.hpp"
#include "common/log.hpp"
#include "common/parse.hpp"
#include "common/text.hpp"
#include "migrate/lint.hpp"
#include "migrate/modules.hpp"
#include "migrate/workspace.hpp"

namespace ballast::migrate {

int pin_command(const Config& config, const std::string& id) {
  require_not_prod(config, "pin");
  const auto mods = load_modules(config.modules_path, config.mode.mode);
  if (!mods) throw UsageError("no modules file: pass --modules FILE or create modules.json");
  const auto it = std::find_if(mods->modules.begin(), mods->modules.end(),
                               [&](const Module& m) { return m.id == id; });
  if (it == mods->modules.end())
    throw UsageError(fmt::format("no module '{}' in {}", shown(id), mods->path));
  const std::string digest = folder_digest(it->migrations_dir);
  write_pin(mods->path, id, digest);
  std::puts(fmt::format("{} {}", id, digest).c_str());
  return exit_code::kOk;
}

namespace {

// The history of the configured database, or nullopt when it cannot be read (no database yet,
// or none reachable): review then treats every changed file as possibly applied.
std::optional<std::vector<AppliedRow>> history_if_readable(const OpenDatabase& open) {
  try {
    return open(false)->applied();
  } catch (const Error& e) {
    log::debug("cannot read the history: {}", e.what());
    return std::nullopt;
  }
}

// "add email!" -> "add_email": lowercase ASCII letters and digits, runs of anything else as one
// underscore, none at either end.
std::string slug(std::string_view name) {
  std::string out;
  for (const char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      out.push_back(static_cast<char>(c));
    } else if (c >= 'A' && c <= 'Z') {
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    } else if (!out.empty() && out.back() != '_') {
      out.push_back('_');
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

}  // namespace

int review_command(const Config& config, const OpenDatabase& open,
                   const std::vector<std::string>& names, bool all, bool force) {
  require_not_prod(config, "review");
  const std::vector<Migration> files = scan_migrations(config.dir, scan_options(config));
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
  std::vector<Problem> refused;
  for (const Migration* m : chosen)
    if (m->generated)
      refused.push_back(
          {m->file_name, "generated (" + *m->generated + "): write it by hand", true, "generated"});
  if (!refused.empty()) refuse("refusing to record generated files as reviewed", refused);

  // Re-blessing a file that changed after review is fine while it is unapplied; once applied,
  // the database ran the reviewed text and the new text would never run: refuse, unless told.
  std::optional<std::vector<AppliedRow>> history;
  bool history_read = false;
  for (const Migration* m : chosen) {
    const auto it = ledger.sha256_by_file.find(m->file_name);
    if (it == ledger.sha256_by_file.end() || it->second == m->sha256 || force) continue;
    if (!history_read) {
      history = history_if_readable(open);
      history_read = true;
    }
    if (!history) {
      refused.push_back({m->file_name,
                         "changed since review, and the history cannot be read to tell whether "
                         "it was applied: run with the database reachable, or pass --force",
                         true, "changed-since-review"});
      continue;
    }
    const bool applied = std::any_of(history->begin(), history->end(), [&](const AppliedRow& r) {
      return r.module.empty() && r.version == m->version;
    });
    if (applied)
      refused.push_back({m->file_name,
                         "changed after it was applied: the database ran the reviewed text; put "
                         "the change in a new migration (migrate new), or pass --force",
                         true, "changed-after-apply"});
  }
  if (!refused.empty()) refuse("refusing to record changed files as reviewed", refused);

  // The reviewer sees the lint's blocking findings: recording the file does not allow them;
  // only a "-- migrate:allow RULE because ..." comment does, and apply refuses the file in
  // prod until then.
  const SqlDialect lint_dialect = sql_dialect(files_dialect(config));
  std::size_t added = 0;
  std::size_t updated = 0;
  for (const Migration* m : chosen) {
    const auto it = ledger.sha256_by_file.find(m->file_name);
    const char* verb = "unchanged";
    if (it != ledger.sha256_by_file.end() && it->second == m->sha256) {
      // Recorded before as it is: nothing new to look at.
    } else {
      for (const auto& f : lint_migration(*m, lint_dialect, lint_options(config)))
        if (f.blocking)
          log::with({{"file", m->file_name}, {"rule", f.rule}})
              .warn(
                  "{}: {} (apply refuses it in prod unless the file says '-- migrate:allow {} "
                  "because WHY')",
                  m->file_name, to_problem(f, m->file_name).reason, f.rule);
    }
    if (it == ledger.sha256_by_file.end()) {
      verb = "added";
      ++added;
    } else if (it->second != m->sha256) {
      verb = "updated";
      ++updated;
    }
    ledger.sha256_by_file[m->file_name] = m->sha256;
    std::puts(fmt::format("{:<9} {}  {}", verb, m->file_name, m->sha256).c_str());
  }
  if (added + updated > 0) write_file_atomic(config.dir + "/" + kLedgerName, format_ledger(ledger));
  log::info("{}/{}: {} added, {} updated, {} unchanged", config.dir, kLedgerName, added, updated,
            chosen.size() - added - updated);
  return exit_code::kOk;
}

int new_command(const Config& config, const std::string& name) {
  require_not_prod(config, "new");
  const std::string slugged = slug(name);
  if (slugged.empty())
    throw UsageError(fmt::format(
        "invalid name '{}': give a few words of what it does, e.g. migrate new add_users_email",
        shown(name)));
  struct stat st {};
  if (::stat(config.dir.c_str(), &st) != 0 && errno == ENOENT) {
    make_directories(config.dir, 0755);
    log::info("created the migrations folder {}", config.dir);
  }
  const std::vector<Migration> files = scan_migrations(config.dir, scan_options(config));
  std::string version;
  // The highest numbered file decides: timestamps (14 digits and more) continue as timestamps,
  // small numbers count up.
  std::optional<std::uint64_t> highest;
  bool timestamps = false;
  for (const auto& f : files) {
    if (!f.version.is_number()) continue;
    timestamps = f.version.text().size() >= 14;
    highest = parse_uint<std::uint64_t>(f.version.text());
  }
  if (timestamps || (!files.empty() && !highest)) {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y%m%d%H%M%S", &tm);
    version = buf;
  } else {
    const std::uint64_t next = highest ? *highest + 1 : 1;
    version = fmt::format("{:04}", next);
  }
  const std::string path = fmt::format("{}/{}_{}.sql", config.dir, version, slugged);
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

}  // namespace ballast::migrate
