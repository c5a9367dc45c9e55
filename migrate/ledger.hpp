#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace ballast::migrate {

// migrations/reviewed.sum: the sha256 of every reviewed file, in coreutils sha256sum format
// ("<hex>  <file>" per line, sorted by file), so `sha256sum -c reviewed.sum` checks it
// without Ballast.
struct Ledger {
  std::map<std::string, std::string> sha256_by_file;
  bool present = false;  // the file exists (an absent ledger reviews nothing)
};

inline constexpr const char* kLedgerName = "reviewed.sum";

// Parses ledger text; accepts sha256sum's binary marker ("<hex> *<file>"). Throws DataError
// naming `path` and the line for anything else.
Ledger parse_ledger(std::string_view text, std::string_view path);

// The ledger as sha256sum prints it: sorted, two spaces, one line each.
std::string format_ledger(const Ledger& ledger);

// Reads DIR/reviewed.sum; an absent file gives an empty ledger with present = false.
Ledger load_ledger(const std::string& dir);

}  // namespace ballast::migrate
