#pragma once

#include <optional>
#include <string>
#include <vector>

#include "migrate/database.hpp"

// The schema of a database as deterministic, diff-friendly text, read from the engine's own
// catalogs (SQLite's sqlite_schema; PostgreSQL's pg_catalog through its pg_get_*def functions),
// so no pg_dump is needed in a scratch image. Ballast's own tables are left out. It is recorded
// in the database after every apply that changed something, and `migrate drift` compares the
// live schema with it: what changed by hand since.
namespace ballast::migrate {

// One object of the schema: "TABLE public.users", "COLUMN public.users.email", "INDEX ...".
struct SchemaEntry {
  std::string kind;  // TABLE, COLUMN, CONSTRAINT, INDEX, VIEW, FUNCTION, TRIGGER, ...
  std::string name;  // schema-qualified on PostgreSQL
  std::string text;  // its definition
  bool operator==(const SchemaEntry&) const = default;
};

// The live schema, sorted by kind then name. `history_table` names Ballast's history table,
// which is left out.
std::vector<SchemaEntry> read_schema(Database& db, Backend backend,
                                     const std::string& history_table);

// The text form: one definition per entry, ending in ';', in entry order (--schema-file,
// `migrate schema`).
std::string schema_text(const std::vector<SchemaEntry>& entries);

// The JSON form the snapshot table keeps (entries read back exactly).
std::string schema_json(const std::vector<SchemaEntry>& entries);
std::vector<SchemaEntry> schema_from_json(const std::string& json);

// What differs between the recorded and the live schema, one line per object:
//   "added:   INDEX public.users_email: CREATE INDEX ..."
//   "removed: COLUMN public.users.legacy"
//   "changed: FUNCTION public.touch(): <live definition>"
std::vector<std::string> schema_drift(const std::vector<SchemaEntry>& recorded,
                                      const std::vector<SchemaEntry>& live);

}  // namespace ballast::migrate
