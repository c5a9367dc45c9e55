#pragma once

#include <memory>
#include <string>

#include "migrate/database.hpp"

namespace ballast::migrate {

// The SQLite backend: one file, WAL journal, serialised runners through BEGIN IMMEDIATE with
// a busy timeout. Throws UnavailableError when the file cannot be opened.
std::unique_ptr<Database> open_sqlite(const std::string& path, const HistoryConfig& history);

}  // namespace ballast::migrate
