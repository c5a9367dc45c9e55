#include "migrate/ledger.hpp"

#include <sys/stat.h>

#include <cerrno>

#include <fmt/format.h>

#include <algorithm>
#include <system_error>

#include "common/error.hpp"
#include "common/fd.hpp"
#include "common/text.hpp"

namespace ballast::migrate {

Ledger parse_ledger(std::string_view text, std::string_view path) {
  Ledger ledger;
  ledger.present = true;
  for_each_line(text, [&](std::string_view line, std::size_t line_no) {
    // Editors and Windows tools leave CRs and blanks at line ends: not part of the name.
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
      line.remove_suffix(1);
    if (line.empty() || line[0] == '#') return true;
    const bool hex_ok =
        line.size() > 66 && std::all_of(line.begin(), line.begin() + 64, [](char c) {
          return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
        });
    if (!hex_ok || line[64] != ' ' || (line[65] != ' ' && line[65] != '*'))
      throw DataError(
          fmt::format("{}:{}: not a sha256sum line (want '<64 hex>  <file>'): run 'migrate review' "
                      "to rewrite it",
                      path, line_no));
    const std::string_view name = line.substr(66);
    if (has_control(name))
      throw DataError(
          fmt::format("{}:{}: a file name with a control character: no migration is "
                      "named so; run 'migrate review' to rewrite the file",
                      path, line_no));
    ledger.sha256_by_file[std::string(name)] = std::string(line.substr(0, 64));
    return true;
  });
  return ledger;
}

std::string format_ledger(const Ledger& ledger) {
  std::string out;
  for (const auto& [file, hex] : ledger.sha256_by_file) out += fmt::format("{}  {}\n", hex, file);
  return out;
}

Ledger load_ledger(const std::string& dir) {
  const std::string path = dir + "/" + kLedgerName;
  // Asked first: the first exception a static binary throws sorts every unwind entry (a few
  // milliseconds), and most folders of other tools have no ledger.
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 && errno == ENOENT) return Ledger{};
  try {
    return parse_ledger(read_file(path), path);
  } catch (const std::system_error& e) {
    if (e.code() == std::errc::no_such_file_or_directory) return Ledger{};
    throw;
  }
}

}  // namespace ballast::migrate
