#include "migrate/migration_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <cctype>
#include <cerrno>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "common/error.hpp"
#include "common/file_system.hpp"
#include "common/log.hpp"
#include "common/text.hpp"
#include "migrate/generated.hpp"
#include "migrate/sha256.hpp"
#include "migrate/sql_position.hpp"
#include "migrate/transaction_control.hpp"

namespace ballast::migrate {
namespace {

// A migration may carry data (seed rows, a backfill): files of hundreds of megabytes are read
// whole; more is surely not a hand-written migration.
constexpr std::size_t kMaxFileBytes = std::size_t{1} << 30;
// Side files (diesel's metadata.toml, Flyway's .sql.conf, drizzle's journal) are small.
constexpr std::size_t kMaxSideFileBytes = std::size_t{1} << 20;

constexpr std::array<std::pair<Format, std::string_view>, 11> kFormats{{
    {Format::kAuto, "auto"},
    {Format::kBallast, "ballast"},
    {Format::kDbmate, "dbmate"},
    {Format::kGolangMigrate, "golang-migrate"},
    {Format::kGoose, "goose"},
    {Format::kSqlx, "sqlx"},
    {Format::kDiesel, "diesel"},
    {Format::kPrisma, "prisma"},
    {Format::kDrizzle, "drizzle"},
    {Format::kFlyway, "flyway"},
    {Format::kPopx, "popx"},
}};

// goose's annotations ("-- +goose Up", in any case and spacing).
enum class Goose { kNone, kUp, kDown, kNoTransaction, kEnvsubOn, kOther };

bool iequals(std::string_view a, std::string_view lower_b) {
  return a.size() == lower_b.size() &&
         std::equal(a.begin(), a.end(), lower_b.begin(),
                    [](char x, char y) { return ascii_lower(x) == y; });
}

// Whether a line is a comment ("--" after any blanks): every directive and annotation is one,
// and most lines of SQL end here after a character or two.
bool comment_line(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  return line.size() - i >= 2 && line[i] == '-' && line[i + 1] == '-';
}

// Reads the annotation of a line without allocating: scanning runs it on every line of every
// file.
Goose goose_annotation(std::string_view line) {
  line = trim(line);
  if (!line.starts_with("--")) return Goose::kNone;
  line = trim(line.substr(2));
  if (!line.starts_with("+goose")) return Goose::kNone;
  line = trim(line.substr(6));
  std::array<std::string_view, 3> words{};
  std::size_t n = 0;
  while (!line.empty() && n < words.size()) {
    const auto end = line.find_first_of(" \t");
    words[n++] = line.substr(0, end);
    line = end == std::string_view::npos ? std::string_view() : trim(line.substr(end));
  }
  if (n == 1 && iequals(words[0], "up")) return Goose::kUp;
  if (n == 1 && iequals(words[0], "down")) return Goose::kDown;
  if (n == 2 && iequals(words[0], "no") && iequals(words[1], "transaction"))
    return Goose::kNoTransaction;
  if (n == 2 && iequals(words[0], "envsub") && iequals(words[1], "on")) return Goose::kEnvsubOn;
  return Goose::kOther;
}

// Whether `text` may hold a goose annotation: every one contains "+goose", and one search
// spares the line-by-line reading of the (many) files that have none.
bool mentions_goose(std::string_view text) { return text.find("+goose") != std::string_view::npos; }

// The section a trimmed dbmate directive line opens: "up", "down", or "" for any other line.
// dbmate writes "-- migrate:up" (options such as transaction:false may follow).
std::string_view dbmate_section(std::string_view t) {
  for (const auto& [head, kind] :
       {std::pair<std::string_view, std::string_view>{"-- migrate:up", "up"},
        {"-- migrate:down", "down"}}) {
    if (t.starts_with(head) && (t.size() == head.size() || t[head.size()] == ' ')) return kind;
  }
  return {};
}

// A tool's side file, or nullopt when there is none. Asked with stat first, not through
// read_file's exception (a static binary's first throw costs milliseconds), and followed like
// the migrations themselves: a ConfigMap mounts every file as a link.
std::optional<std::string> read_side_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return read_file(path, kMaxSideFileBytes);
}

// diesel's metadata.toml says `run_in_transaction = false`; Flyway's V1__x.sql.conf says
// `executeInTransaction=false`. Read as the one key=value line each tool documents.
bool side_file_says_false(const std::string& text, std::string_view key) {
  bool found = false;
  for_each_line(text, [&](std::string_view line, std::size_t) {
    line = trim(line);
    if (!line.starts_with(key)) return true;
    auto rest = trim(line.substr(key.size()));
    if (!rest.starts_with("=")) return true;
    rest = trim(rest.substr(1));
    if (rest.starts_with("\"") && rest.ends_with("\"") && rest.size() >= 2)
      rest = rest.substr(1, rest.size() - 2);
    found = ascii_lower(rest) == "false";
    return !found;
  });
  return found;
}

// One file that may be the migration of its version.
struct Candidate {
  FileName name;
  std::string file_name;  // relative to the folder
  std::string path;
};

bool style_allowed(Format format, const FileName& f) {
  switch (format) {
    case Format::kAuto:
      return true;
    case Format::kBallast:
    case Format::kDbmate:
    case Format::kGoose:
    case Format::kDrizzle:
      return f.style == FileStyle::kPlain;
    case Format::kSqlx:
      return f.style == FileStyle::kPlain || f.style == FileStyle::kUpDown;
    case Format::kGolangMigrate:
      return f.style == FileStyle::kUpDown && f.dialect.empty() && !f.autocommit;
    case Format::kPopx:
      return f.style == FileStyle::kUpDown;
    case Format::kFlyway:
      return f.style == FileStyle::kFlyway || f.style == FileStyle::kRepeatable;
    case Format::kPrisma:
      return f.style == FileStyle::kPrisma;
    case Format::kDiesel:
      return f.style == FileStyle::kDiesel;
  }
  return false;
}

std::string_view expected_names(Format format) {
  switch (format) {
    case Format::kGolangMigrate:
      return "VERSION_NAME.up.sql";
    case Format::kPopx:
      return "VERSION_NAME[.DIALECT][.autocommit].up.sql";
    case Format::kFlyway:
      return "V1.2__NAME.sql or R__NAME.sql";
    case Format::kPrisma:
      return "a folder TIMESTAMP_NAME holding migration.sql";
    case Format::kDiesel:
      return "a folder VERSION_NAME holding up.sql";
    case Format::kSqlx:
      return "VERSION_NAME.sql or VERSION_NAME.up.sql";
    default:
      return "VERSION_NAME.sql, e.g. 0001_create_users.sql";
  }
}

// The tags drizzle-kit lists in meta/_journal.json, in its order; nullopt without a journal.
std::optional<std::vector<std::string>> drizzle_journal(const std::string& dir,
                                                        std::vector<Problem>& problems) {
  const std::string path = dir + "/meta/_journal.json";
  const auto text = read_side_file(path);
  if (!text) return std::nullopt;
  std::vector<std::string> tags;
  try {
    const auto journal = nlohmann::json::parse(*text);
    for (const auto& e : journal.at("entries")) tags.push_back(e.at("tag").get<std::string>());
  } catch (const nlohmann::json::exception& e) {
    problems.push_back({path,
                        fmt::format("not a drizzle journal ({}): regenerate it, or pass --format "
                                    "to read the folder another way",
                                    shown(e.what())),
                        true, "file-format"});
    return std::vector<std::string>{};
  }
  return tags;
}

// The side file a file's name points to: diesel's metadata.toml beside its up.sql, Flyway's
// V1__x.sql.conf; "" for the other layouts.
std::string side_file_of(const std::string& path, FileStyle style) {
  if (style == FileStyle::kFlyway) return path + ".conf";
  if (style == FileStyle::kDiesel) return path.substr(0, path.rfind('/') + 1) + "metadata.toml";
  return {};
}

// Reads what the raw text in m.sql asks for (sections, transaction mode, waivers, generator
// marks) and makes m the migration to run; or returns the problem that stops it.
std::optional<Problem> analyse(Migration& m, const std::string& path, const ScanOptions& options,
                               const std::optional<std::string>& folder_mark) {
  const std::string text = std::move(m.sql);
  const std::string side_file = side_file_of(path, m.style);
  try {
    Directives directives = read_directives(text, path);
    m.sql = std::move(directives.up);
    // A UTF-8 byte-order mark (editors on Windows write one) is not SQL; the hash keeps it.
    if (m.sql.starts_with("\xEF\xBB\xBF")) m.sql.replace(0, 3, "   ");
    m.waivers = lint_waivers(text);
    m.no_transaction =
        directives.goose_no_transaction || header_wants_no_transaction(text) || m.autocommit;
    if (!side_file.empty()) {
      const std::string side = read_side_file(side_file).value_or("");
      if (side_file_says_false(
              side, m.style == FileStyle::kDiesel ? "run_in_transaction" : "executeInTransaction"))
        m.no_transaction = true;
    }
    if (directives.goose_envsub)
      return Problem{path,
                     "uses goose's ENVSUB (environment variables substituted into the SQL): "
                     "migrate runs reviewed text as written; write the values in",
                     true, "file-format"};
    const auto dialect = options.engine == "postgres" ? SqlDialect::kPostgres : SqlDialect::kSqlite;
    if (!m.no_transaction) {
      // What the engine refuses inside a transaction (CREATE INDEX CONCURRENTLY, VACUUM)
      // runs the file outside one, as psql, golang-migrate and Flyway run it.
      if (const auto why = needs_no_transaction(m.sql, dialect); !why.empty()) {
        m.no_transaction = true;
        log::debug("{}: {} cannot run in a transaction: the file runs statement by statement", path,
                   shown(why));
      }
    }
    if (!m.no_transaction) {
      const auto tc = scan_transaction_control(m.sql, dialect);
      if (!tc.stray.empty()) {
        const auto& first = tc.stray.front();
        const std::size_t line = line_of_byte(m.sql, first.offset);
        return Problem{
            path,
            fmt::format("{} at line {} in a file that runs in a transaction: it would end "
                        "migrate's transaction part-way (what ran before it stays, with no "
                        "history row); mark the file '-- migrate:no-transaction' to run it "
                        "statement by statement with its own transaction control, or remove "
                        "it{}",
                        shown(first.statement), line,
                        tc.stray.size() > 1
                            ? fmt::format(" ({} such statements in the file)", tc.stray.size())
                            : std::string()),
            true, "transaction-control", line};
      }
      // BEGIN first and COMMIT last: what migrate does anyway (golang-migrate runs files as
      // they are, so its users often write them).
      if (!tc.wrapper.empty()) m.sql = blank_ranges(m.sql, tc.wrapper);
    }
    if (m.version.is_repeatable()) m.flyway_checksum = flyway_checksum(text);
    m.generated = generated_mark(text);
    if (!m.generated) m.generated = folder_mark;
    m.analysed = true;
    return std::nullopt;
  } catch (const DataError& e) {
    // up_section's message starts with the path already.
    std::string why = e.what();
    if (why.starts_with(path + " ")) why.erase(0, path.size() + 1);
    return Problem{path, why, true, "file-format"};
  }
}

}  // namespace

std::optional<Format> parse_format(std::string_view name) {
  for (const auto& [format, text] : kFormats)
    if (name == text) return format;
  return std::nullopt;
}

std::string_view to_string(Format format) {
  for (const auto& [f, text] : kFormats)
    if (f == format) return text;
  return "auto";
}

Directives read_directives(std::string_view text, std::string_view file_name) {
  Directives d;
  // Every section directive is "-- migrate:up/down" or a goose annotation: without either,
  // the whole file is the up section.
  const bool goose = mentions_goose(text);
  if (!goose && text.find("-- migrate:") == std::string_view::npos) {
    d.up = std::string(text);
    return d;
  }
  std::string& up = d.up;
  up.reserve(text.size());
  bool has_directives = false;
  bool in_up = false;
  int up_sections = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto end = text.find('\n', pos);
    const auto line = text.substr(pos, end == std::string_view::npos ? text.npos : end - pos);
    const auto next = end == std::string_view::npos ? text.size() : end + 1;
    std::string_view section;
    if (comment_line(line)) {
      // Each directive line is read once: dbmate's, else goose's ("-- +goose Up").
      const auto t = trim(line);
      section = dbmate_section(t);
      if (goose && section.empty()) {
        switch (goose_annotation(t)) {
          case Goose::kUp:
            section = "up";
            break;
          case Goose::kDown:
            section = "down";
            break;
          case Goose::kNoTransaction:
            d.goose_no_transaction = true;
            break;
          case Goose::kEnvsubOn:
            d.goose_envsub = true;
            break;
          default:
            break;
        }
      }
    }
    if (section == "up") {
      has_directives = true;
      in_up = true;
      ++up_sections;
      up.push_back('\n');
    } else if (section == "down") {
      has_directives = true;
      in_up = false;
      up.push_back('\n');
    } else if (in_up) {
      up.append(text.substr(pos, next - pos));
    } else {
      // Keep line numbers of the up section equal to the file's, for error messages.
      up.push_back('\n');
    }
    pos = next;
  }
  if (!has_directives) {
    d.up = std::string(text);
    return d;
  }
  if (up_sections > 1)
    throw DataError(fmt::format(
        "{} has {} up sections ('-- migrate:up' or '-- +goose Up'): keep one (dbmate would "
        "silently run only the first)",
        shown(file_name), up_sections));
  if (up_sections == 0)
    throw DataError(
        fmt::format("{} has a down section but no up section ('-- migrate:up' or '-- +goose Up')",
                    shown(file_name)));
  return d;
}

std::string up_section(std::string_view text, std::string_view file_name) {
  return read_directives(text, file_name).up;
}

std::int32_t flyway_checksum(std::string_view text) {
  // CRC-32 (IEEE, reflected) written out: the one checksum Ballast needs, over lines, which no
  // library here offers without pulling in zlib for twelve lines.
  std::uint32_t crc = 0xFFFFFFFFu;
  const auto feed = [&](std::string_view bytes) {
    for (const char ch : bytes) {
      crc ^= static_cast<unsigned char>(ch);
      for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
  };
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto end = text.find_first_of("\r\n", pos);
    feed(text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos));
    if (end == std::string_view::npos) break;
    pos = end + (text.compare(end, 2, "\r\n") == 0 ? 2 : 1);
  }
  return static_cast<std::int32_t>(crc ^ 0xFFFFFFFFu);
}

std::optional<DialectHint> dialect_hint(const std::string& dir) {
  const auto engine_of = [](std::string_view word) -> std::string {
    if (word.find("postgres") != std::string_view::npos) return "postgres";
    if (word.find("sqlite") != std::string_view::npos) return "sqlite";
    return {};
  };
  const std::string lock = read_side_file(dir + "/migration_lock.toml").value_or("");
  std::optional<DialectHint> hint;
  for_each_line(lock, [&](std::string_view line, std::size_t) {
    line = trim(line);
    if (!line.starts_with("provider")) return true;
    if (auto e = engine_of(line); !e.empty()) hint = DialectHint{e, "migration_lock.toml"};
    return false;
  });
  if (hint) return hint;
  try {
    if (const auto journal = read_side_file(dir + "/meta/_journal.json")) {
      const auto j = nlohmann::json::parse(*journal);
      if (auto e = engine_of(j.value("dialect", std::string())); !e.empty())
        return DialectHint{e, "meta/_journal.json"};
    }
  } catch (const nlohmann::json::exception&) {
    // scan_folder names a broken journal; no hint from it
  }
  std::set<std::string> dialects;
  try {
    for (const auto& n : list_directory(real_file_system(), dir)) {
      const FileName f = parse_file_name(n);
      if (f.kind == NameKind::kMigration && (f.dialect == "postgres" || f.dialect == "sqlite"))
        dialects.insert(f.dialect);
    }
  } catch (const std::system_error&) {
    return std::nullopt;
  }
  if (dialects.size() == 1) return DialectHint{*dialects.begin(), "the files' names"};
  return std::nullopt;
}

bool header_wants_no_transaction(std::string_view text) {
  bool found = false;
  bool first = true;
  for_each_line(text, [&](std::string_view line, std::size_t) {
    const auto t = trim(line);
    if (t.empty()) return true;
    if (first) {
      first = false;
      if (t == "-- no-transaction") found = true;  // sqlx: the first line only
    }
    if (!t.starts_with("--")) return false;  // the first statement ends the header
    if (t == "-- migrate:no-transaction" ||
        (t.starts_with("-- migrate:up") && t.find("transaction:false") != std::string_view::npos))
      found = true;
    return !found;
  });
  return found;
}

bool wants_no_transaction(std::string_view text) {
  if (header_wants_no_transaction(text)) return true;
  if (!mentions_goose(text)) return false;  // goose's NO TRANSACTION may be on any line
  bool found = false;
  for_each_line(text, [&](std::string_view line, std::size_t) {
    found = goose_annotation(line) == Goose::kNoTransaction;
    return !found;
  });
  return found;
}

FolderScan scan_folder(const std::string& dir, const ScanOptions& options) {
  FolderScan scan;
  auto& problems = scan.problems;
  const Format format = options.format;
  const std::optional<std::string> folder_mark = generator_folder_mark(dir);
  std::optional<std::vector<std::string>> journal;
  if (format == Format::kAuto || format == Format::kDrizzle)
    journal = drizzle_journal(dir, problems);

  // Every name that may be a migration, grouped by version.
  std::map<Version, std::vector<Candidate>> by_version;
  const auto add = [&](Candidate c) {
    if (!style_allowed(format, c.name)) {
      problems.push_back({c.path,
                          fmt::format("not a {} migration name (expected {}): rename it, or pass "
                                      "--format auto",
                                      to_string(format), expected_names(format)),
                          true, "file-name"});
      return;
    }
    by_version[c.name.version].push_back(std::move(c));
  };

  const auto each = [&](std::string_view n) {
    if (n.starts_with("README") || n == "reviewed.sum" || n.starts_with(".")) return;
    if (has_control(n)) {
      // Such a name cannot be written to reviewed.sum or a log line as it is.
      problems.push_back({fmt::format("{}/{}", dir, shown(n)),
                          "a control character in the file name: rename the file", true,
                          "file-name"});
      return;
    }
    FileName f = parse_file_name(n, options.engine);
    // Down files and other engines' files end here, before anything is built for them.
    if (f.kind == NameKind::kIgnored || (!f.dialect.empty() && f.dialect != options.engine)) return;
    const std::string path = fmt::format("{}/{}", dir, n);
    // A name that reads as a file is taken for one (read_file says when it is not: one stat
    // fewer per file); only a name that may be a migration's folder is looked at. Links are
    // followed like the files: a Kubernetes ConfigMap mounts every file as a link.
    struct stat st {};
    if (f.kind == NameKind::kNone && !n.ends_with(".sql") &&
        std::isdigit(static_cast<unsigned char>(n.front())) != 0 &&
        ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
      // prisma's <ts>_name/migration.sql and diesel's <version>_name/up.sql; other folders
      // (drizzle's meta/, a tool's templates) are not migrations.
      const bool prisma = ::access((path + "/migration.sql").c_str(), F_OK) == 0;
      const bool diesel = ::access((path + "/up.sql").c_str(), F_OK) == 0;
      if (!prisma && !diesel) {
        problems.push_back({path,
                            "a folder with neither migration.sql (prisma) nor up.sql (diesel): "
                            "put the migration's SQL there, or move the folder out",
                            true, "file-name"});
        return;
      }
      const FileStyle style = prisma ? FileStyle::kPrisma : FileStyle::kDiesel;
      f = parse_folder_name(n, style);
      if (f.kind == NameKind::kNone) {
        problems.push_back({path,
                            fmt::format("not a {} migration folder name (use VERSION_NAME, e.g. "
                                        "20210101120000_init)",
                                        prisma ? "prisma" : "diesel"),
                            true, "file-name"});
        return;
      }
      const std::string file = prisma ? "migration.sql" : "up.sql";
      add({std::move(f), fmt::format("{}/{}", n, file), fmt::format("{}/{}", path, file)});
      return;
    }
    if (f.kind == NameKind::kNone) {
      if (n.ends_with(".sql"))
        problems.push_back({path,
                            fmt::format("not a migration file name (use {}; other tools' names "
                                        "are read too: see docs/migrate.md)",
                                        expected_names(format)),
                            true, "file-name"});
      else if (n.ends_with(".conf") || n.ends_with(".toml") || n.ends_with(".json") ||
               n.ends_with(".sum") || n.ends_with(".md") || n.ends_with(".txt"))
        ;  // the tools' own side files and notes
      else
        log::debug("{}: not a migration (not SQL): ignored", path);
      return;
    }
    add({std::move(f), std::string(n), path});
  };
  try {
    // In the kernel's order: what is kept is ordered below (by version; problems by name).
    // Nothing is built for a name that is skipped (down files, other engines' files).
    for_each_name(dir, each);
  } catch (const std::system_error& e) {
    if (e.code() == std::errc::no_such_file_or_directory)
      throw DataError(fmt::format(
          "migrations folder {} does not exist: pass --dir or set MIGRATIONS_DIR", dir));
    throw errno_error(e.code().value(), "read migrations folder " + dir);
  }

  // The listing was in the kernel's order: what was said about names is said in name order.
  std::stable_sort(problems.begin(), problems.end(),
                   [](const Problem& a, const Problem& b) { return a.file < b.file; });
  // One file per version: the one written for this engine, else the one for every engine
  // (popx's rule; other engines' files were dropped with the names).
  std::set<std::string> journal_tags;
  if (journal) journal_tags.insert(journal->begin(), journal->end());
  std::set<std::string> journal_found;
  scan.files.reserve(by_version.size());  // one allocation: each regrowth touches fresh pages
  for (auto& [version, candidates] : by_version) {
    std::vector<const Candidate*> specific;
    std::vector<const Candidate*> generic;
    for (const auto& c : candidates) (c.name.dialect.empty() ? generic : specific).push_back(&c);
    auto& chosen_set = specific.empty() ? generic : specific;
    if (chosen_set.size() > 1) {
      std::sort(chosen_set.begin(), chosen_set.end(),
                [](const Candidate* a, const Candidate* b) { return a->file_name < b->file_name; });
      for (std::size_t i = 1; i < chosen_set.size(); ++i)
        problems.push_back({chosen_set[i]->path,
                            fmt::format("has the same version {} as {}: renumber one",
                                        version.text(), chosen_set[0]->file_name),
                            true, "duplicate-version"});
      continue;
    }
    const Candidate& c = *chosen_set.front();
    if (c.name.kind == NameKind::kCode) {
      problems.push_back({c.path,
                          fmt::format("{}: migrate applies SQL files only; write it as SQL "
                                      "(VERSION_NAME.sql) and review that",
                                      c.name.why),
                          true, "file-format"});
      continue;
    }
    if (journal) {
      const std::string tag = c.file_name.substr(0, c.file_name.size() - 4);
      if (!journal_tags.count(tag)) {
        problems.push_back({c.path,
                            "not in meta/_journal.json: drizzle would not apply it, and neither "
                            "does migrate (add it to the journal, or remove the file)",
                            false, "not-in-journal"});
        continue;
      }
      journal_found.insert(tag);
    }
    std::string text;
    try {
      text = read_file(c.path, kMaxFileBytes);
    } catch (const std::system_error& e) {
      const int err = e.code().value();
      if (err != EISDIR && err != EINVAL && err != ENOENT && err != ELOOP) throw;
      problems.push_back(
          {c.path, err == ENOENT ? "a link to nothing" : "not a regular file", true, "not-a-file"});
      continue;
    }
    if (const auto nul = text.find('\0'); nul != std::string::npos) {
      // Every engine reads SQL as C text: a NUL would silently end the file there.
      const std::size_t line = line_of_byte(text, nul);
      problems.push_back({c.path,
                          fmt::format("contains a NUL byte at line {}: a SQL file is text (was "
                                      "it saved as UTF-16, or is it not SQL?)",
                                      line),
                          true, "file-format", line});
      continue;
    }
    Migration m;
    m.version = c.name.version;
    m.name = c.name.name;
    m.file_name = c.file_name;
    m.style = c.name.style;
    m.autocommit = c.name.autocommit;
    m.sha256 = sha256_hex(text);
    m.sql = std::move(text);
    if (options.defer_analysis) {
      m.analysed = false;
    } else if (auto problem = analyse(m, c.path, options, folder_mark)) {
      problems.push_back(std::move(*problem));
      continue;
    }
    scan.files.push_back(std::move(m));
  }
  if (journal)
    for (const auto& tag : *journal)
      if (!journal_found.count(tag) &&
          std::none_of(problems.begin(), problems.end(),
                       [&](const Problem& p) { return p.file.find(tag) != std::string::npos; }))
        problems.push_back({fmt::format("{}/{}.sql", dir, tag),
                            "listed in meta/_journal.json, but there is no such file", true,
                            "missing-file"});
  // A folder that is refused anyway is refused with every problem in it listed at once: the
  // analysis left for later is done now.
  if (options.defer_analysis &&
      std::any_of(problems.begin(), problems.end(), [](const Problem& p) { return p.blocking; })) {
    std::erase_if(scan.files, [&](Migration& m) {
      auto problem = analyse_migration(m, dir, options, folder_mark);
      if (problem) problems.push_back(std::move(*problem));
      return problem.has_value();
    });
  }
  // by_version is walked in version order: the files are in order already (sorting 1,000
  // Migrations again cost ~3 M instructions of a no-op apply).
  assert(
      std::is_sorted(scan.files.begin(), scan.files.end(),
                     [](const Migration& a, const Migration& b) { return a.version < b.version; }));
  return scan;
}

std::optional<Problem> analyse_migration(Migration& m, const std::string& dir,
                                         const ScanOptions& options,
                                         const std::optional<std::string>& folder_mark) {
  return analyse(m, fmt::format("{}/{}", dir, m.file_name), options, folder_mark);
}

void throw_blocking(const std::string& dir, std::vector<Problem> problems) {
  std::vector<Problem> blocking;
  for (auto& p : problems) {
    if (p.blocking)
      blocking.push_back(std::move(p));
    else
      log::with({{"file", p.file}, {"rule", p.rule}}).warn("{}: {}", p.file, p.reason);
  }
  if (blocking.empty()) return;
  std::string all =
      fmt::format("{} problem{} in {}:", blocking.size(), blocking.size() == 1 ? "" : "s", dir);
  for (const auto& p : blocking) all += fmt::format("\n  {}: {}", p.file, p.reason);
  throw DataError(all);
}

std::vector<Migration> scan_migrations(const std::string& dir, const ScanOptions& options) {
  auto scan = scan_folder(dir, options);
  throw_blocking(dir, std::move(scan.problems));
  return std::move(scan.files);
}

}  // namespace ballast::migrate
