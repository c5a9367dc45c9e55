#pragma once

#include <memory>
#include <string>

#include "migrate/database.hpp"

namespace ballast::migrate {

// The SQLite backend: one file, runners serialised through BEGIN IMMEDIATE with a busy
// timeout. Not `writable`: opened read-only, and a missing file is UnavailableError (69), never
// created: a status that reads a typo as "everything pending" would hide the mistake. Throws
// UnavailableError when the file cannot be opened.
std::unique_ptr<Database> open_sqlite(const std::string& path, const HistoryConfig& history,
                                      bool writable = true);

}  // namespace ballast::migrate
