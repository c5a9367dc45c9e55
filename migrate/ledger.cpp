#include "migrate/ledger.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <system_error>

#include "common/error.hpp"
#include "common/fd.hpp"

namespace ballast::migrate {

Ledger parse_ledger(std::string_view text, std::string_view path) {
  Ledger ledger;
  ledger.present = true;
  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;
    const bool hex_ok =
        line.size() > 66 && std::all_of(line.begin(), line.begin() + 64, [](char c) {
          return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
        });
    if (!hex_ok || line[64] != ' ' || (line[65] != ' ' && line[65] != '*'))
      throw DataError(
          fmt::format("{}:{}: not a sha256sum line (want '<64 hex>  <file>'): run 'migrate review' "
                      "to rewrite it",
                      path, line_no));
    ledger.sha256_by_file[std::string(line.substr(66))] = std::string(line.substr(0, 64));
  }
  return ledger;
}

std::string format_ledger(const Ledger& ledger) {
  std::string out;
  for (const auto& [file, hex] : ledger.sha256_by_file) out += fmt::format("{}  {}\n", hex, file);
  return out;
}

Ledger load_ledger(const std::string& dir) {
  const std::string path = dir + "/" + kLedgerName;
  try {
    return parse_ledger(read_file(path), path);
  } catch (const std::system_error& e) {
    if (e.code() == std::errc::no_such_file_or_directory) return Ledger{};
    throw;
  }
}

}  // namespace ballast::migrate
