#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "migrate/config.hpp"
#include "migrate/database.hpp"
#include "migrate/ledger.hpp"
#include "migrate/lint.hpp"
#include "migrate/migration_file.hpp"
#include "migrate/review_policy.hpp"
#include "migrate/status.hpp"

// What every migrate command shares: the folders read from disk (the workspace), the history
// judged against them, and the database connection.
namespace ballast::migrate {

inline const std::string kCoreModule;

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
  std::vector<Problem> scan_problems;       // files that could not be read (when collected)
};

// Reads the core folder and every enabled module's folder (core first, modules in file
// order), checking the modules' pins. Nothing touches the database. Files that cannot be read
// as migrations are thrown as one DataError listing all, or, with `collect_problems`, kept in
// scan_problems (verify reports them with everything else). With `defer_analysis`, files are
// read and hashed only (ScanOptions::defer_analysis): analyse_unsettled must follow.
Workspace load_workspace(const Config& c, bool collect_problems = false,
                         bool defer_analysis = false);

// Analyses the files a deferred load_workspace left unanalysed, except those the history holds
// as applied with the same bytes (compute_status's kApplied): those never run again, so their
// form does not matter to this run. Every blocking problem is thrown as load_workspace throws
// it. Files that will not run are left holding their raw bytes.
void analyse_unsettled(Workspace& w, const Config& c, const std::vector<AppliedRow>& history);

// Status rows and policy problems of every source against the history, plus rows for modules
// that have history but are no longer listed (shown as missing, not an error).
struct Judged {
  std::vector<std::pair<const Source*, std::vector<StatusRow>>> rows;
  std::vector<StatusRow> unlisted;
  std::vector<Problem> problems;
};

Judged judge_all(const Workspace& w, const std::vector<AppliedRow>& history,
                 const PolicyOptions& policy, bool only_module);

// Opens the configured database; `creating` makes a missing SQLite file (and ./data for the
// embedded default), otherwise a missing file is UnavailableError (69).
std::unique_ptr<Database> connect(const Config& config, bool creating);

PolicyOptions policy_of(const Config& c);

// How the lint reads files for commands that run without a database (verify, review): the
// dialect --dialect or the URL gave, else what the folder's own files say (prisma's or
// drizzle's provider, popx names), else config.dialect; `hint` gets the folder's word when it
// decided. And the lint's options (apply sets lock_timeout unless --pg-lock-timeout 0).
std::string files_dialect(const Config& c, std::optional<DialectHint>* hint = nullptr);
SqlDialect sql_dialect(std::string_view dialect);
LintOptions lint_options(const Config& c);
std::vector<Problem> only_blocking(const std::vector<Problem>& problems);
// Logs every non-blocking problem as a warning.
void warn_all(const std::vector<Problem>& problems, bool prod);
// Throws ConfigError: authoring commands (review, new, pin) do not run in prod.
void require_not_prod(const Config& c, std::string_view command);

// Every row of the judged workspace with the name it is shown under.
struct ShownRow {
  std::string shown;  // "0001_x.sql", "billing/0001_x.sql", or "(name, no file)"
  const StatusRow* row;
};
std::vector<ShownRow> shown_rows(const Judged& j);

// The reason of the blocking problem of the row shown as `shown`, or "".
std::string refusal_for(const std::string& shown, const std::vector<Problem>& problems);

}  // namespace ballast::migrate
