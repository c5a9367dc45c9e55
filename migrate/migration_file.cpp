#include "migrate/migration_file.hpp"

#include "migrate/sql_position.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <map>

#include "common/error.hpp"
#include "common/fd.hpp"
#include "common/file_system.hpp"
#include "common/parse.hpp"
#include "common/text.hpp"
#include "migrate/generated.hpp"
#include "migrate/sha256.hpp"

namespace ballast::migrate {
namespace {

// A migration may carry data (seed rows, a backfill): files of hundreds of megabytes are read
// whole; more is surely not a hand-written migration.
constexpr std::size_t kMaxFileBytes = std::size_t{1} << 30;

// A plain version: digits only, of any length (20-digit timestamps are common).
std::optional<Version> whole_version(std::string_view digits) {
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos)
    return std::nullopt;
  return Version::parse(digits);
}

// True for a line that is exactly the dbmate directive `-- migrate:KIND` (extra options such
// as transaction:false may follow after a space).
bool is_directive(std::string_view line, std::string_view kind) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
    line.remove_suffix(1);
  const std::string head = "-- migrate:" + std::string(kind);
  return line == head || line.starts_with(head + " ");
}

}  // namespace

std::optional<FileName> parse_file_name(std::string_view file_name, bool& ignored) {
  ignored = false;
  if (!file_name.ends_with(".sql")) return std::nullopt;
  std::string_view stem = file_name.substr(0, file_name.size() - 4);
  FileStyle style = FileStyle::kBallast;
  if (stem.ends_with(".down")) {
    ignored = true;
    return std::nullopt;
  }
  if (stem.ends_with(".up")) {
    stem.remove_suffix(3);
    style = FileStyle::kGolangMigrate;
  }
  std::string_view digits;
  std::string_view name;
  if (style == FileStyle::kBallast && stem.starts_with("V")) {
    const auto sep = stem.find("__");
    if (sep == std::string_view::npos) return std::nullopt;
    digits = stem.substr(1, sep - 1);
    name = stem.substr(sep + 2);
    style = FileStyle::kFlyway;
  } else {
    const auto sep = stem.find('_');
    if (sep == std::string_view::npos) return std::nullopt;
    digits = stem.substr(0, sep);
    name = stem.substr(sep + 1);
  }
  const auto version = style == FileStyle::kFlyway ? Version::parse(digits) : whole_version(digits);
  if (!version || name.empty()) return std::nullopt;
  return FileName{*version, std::string(name), style};
}

std::string up_section(std::string_view text, std::string_view file_name) {
  std::string up;
  bool has_directives = false;
  bool in_up = false;
  int up_sections = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto end = text.find('\n', pos);
    const auto line = text.substr(pos, end == std::string_view::npos ? text.npos : end - pos);
    const auto next = end == std::string_view::npos ? text.size() : end + 1;
    if (is_directive(line, "up")) {
      has_directives = true;
      in_up = true;
      ++up_sections;
      up.push_back('\n');
    } else if (is_directive(line, "down")) {
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
  if (!has_directives) return std::string(text);
  if (up_sections > 1)
    throw DataError(fmt::format(
        "{} has {} '-- migrate:up' sections: keep one (dbmate would silently run only the first)",
        shown(file_name), up_sections));
  if (up_sections == 0)
    throw DataError(
        fmt::format("{} has '-- migrate:down' but no '-- migrate:up' section", shown(file_name)));
  return up;
}

bool wants_no_transaction(std::string_view text) {
  bool found = false;
  for_each_line(text, [&](std::string_view line, std::size_t) {
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    if (line.empty()) return true;
    if (!line.starts_with("--")) return false;  // the first statement ends the header
    found = line == "-- migrate:no-transaction" ||
            (line.starts_with("-- migrate:up") &&
             line.find("transaction:false") != std::string_view::npos);
    return !found;
  });
  return found;
}

FolderScan scan_folder(const std::string& dir) {
  std::vector<std::string> names;
  try {
    names = list_directory(real_file_system(), dir);
  } catch (const std::system_error& e) {
    if (e.code() == std::errc::no_such_file_or_directory)
      throw DataError(fmt::format(
          "migrations folder {} does not exist: pass --dir or set MIGRATIONS_DIR", dir));
    throw errno_error(e.code().value(), "read migrations folder " + dir);
  }

  const std::optional<std::string> folder_mark = generator_folder_mark(dir);
  std::vector<Problem> problems;
  std::map<Version, std::string> seen;
  std::vector<Migration> out;
  for (const auto& n : names) {
    if (n.starts_with("README") || n == "reviewed.sum" || n.starts_with(".")) continue;
    if (n == "meta" || n == "migration_lock.toml" || n == "atlas.sum")
      continue;  // generator_folder_mark
    bool ignored = false;
    if (has_control(n)) {
      // Such a name cannot be written to reviewed.sum or a log line as it is.
      problems.push_back({fmt::format("{}/{}", dir, shown(n)),
                          "a control character in the file name: rename the file", true,
                          "file-name"});
      continue;
    }
    const auto parsed = parse_file_name(n, ignored);
    if (ignored) continue;
    if (!parsed) {
      problems.push_back({fmt::format("{}/{}", dir, n),
                          "not a migration file name (use VERSION_NAME.sql, e.g. "
                          "0001_create_users.sql)",
                          true, "file-name"});
      continue;
    }
    if (const auto it = seen.find(parsed->version); it != seen.end()) {
      problems.push_back(
          {fmt::format("{}/{}", dir, n),
           fmt::format("has the same version {} as {}: renumber one", parsed->version.text(), it->second),
           true, "duplicate-version"});
      continue;
    }
    seen.emplace(parsed->version, n);
    const std::string path = fmt::format("{}/{}", dir, n);
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
      problems.push_back({path, "not a regular file", true, "not-a-file"});
      continue;
    }
    const std::string text = read_file(path, kMaxFileBytes);
    if (const auto nul = text.find('\0'); nul != std::string::npos) {
      // Every engine reads SQL as C text: a NUL would silently end the file there.
      const std::size_t line = line_of_byte(text, nul);
      problems.push_back({path,
                          fmt::format("contains a NUL byte at line {}: a SQL file is text (was "
                                      "it saved as UTF-16, or is it not SQL?)",
                                      line),
                          true, "file-format", line});
      continue;
    }
    try {
      Migration m;
      m.version = parsed->version;
      m.name = parsed->name;
      m.file_name = n;
      m.sql = up_section(text, path);
      m.sha256 = sha256_hex(text);
      m.no_transaction = wants_no_transaction(text);
      m.generated = generated_mark(text);
      if (!m.generated) m.generated = folder_mark;
      out.push_back(std::move(m));
    } catch (const DataError& e) {
      // up_section's message starts with the path already.
      std::string why = e.what();
      if (why.starts_with(path + ": ")) why.erase(0, path.size() + 2);
      problems.push_back({path, why, true, "file-format"});
    }
  }
  std::sort(out.begin(), out.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  return {std::move(out), std::move(problems)};
}

std::vector<Migration> scan_migrations(const std::string& dir) {
  auto scan = scan_folder(dir);
  if (!scan.problems.empty()) {
    std::string all = fmt::format("{} problem{} in {}:", scan.problems.size(),
                                  scan.problems.size() == 1 ? "" : "s", dir);
    for (const auto& p : scan.problems) all += fmt::format("\n  {}: {}", p.file, p.reason);
    throw DataError(all);
  }
  return std::move(scan.files);
}

}  // namespace ballast::migrate
