#include "migrate/schema.hpp"

#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>
#include <tuple>

#include "common/error.hpp"
#include "common/text.hpp"

namespace ballast::migrate {
namespace {

// PostgreSQL: every object of the user's schemas through the server's own pg_get_*def
// functions (the definitions pg_dump prints), in one query. Objects of extensions and
// Ballast's own tables are left out. Columns sort by their position, the rest by name.
// HIST is the history table as an SQL literal.
constexpr const char* kPostgresSchema = R"SQL(
WITH ours AS (
  SELECT oid FROM pg_class WHERE oid = to_regclass(HIST)
), ns AS (
  SELECT oid, nspname FROM pg_namespace
  WHERE nspname NOT IN ('pg_catalog', 'information_schema')
    AND nspname NOT LIKE 'pg\_toast%' AND nspname NOT LIKE 'pg\_temp%'
), ext AS (
  SELECT objid FROM pg_depend WHERE deptype = 'e'
), tbl AS (
  SELECT c.oid, c.relname, n.nspname FROM pg_class c JOIN ns n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND c.oid NOT IN (SELECT oid FROM ours)
    AND c.oid NOT IN (SELECT objid FROM ext)
)
SELECT kind, name, def FROM (
  SELECT 0 AS o, 'EXTENSION' AS kind, e.extname::text AS name,
         format('CREATE EXTENSION IF NOT EXISTS %I VERSION %L', e.extname, e.extversion) AS def, '' AS k
  FROM pg_extension e
  UNION ALL
  SELECT 1, 'SCHEMA', n.nspname::text, format('CREATE SCHEMA IF NOT EXISTS %I', n.nspname), '' FROM ns n
    WHERE n.oid NOT IN (SELECT objid FROM ext)
  UNION ALL
  SELECT 2, 'TYPE', format('%I.%I', n.nspname, t.typname),
         format('CREATE TYPE %I.%I AS ENUM (%s)', n.nspname, t.typname,
                (SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder)
                 FROM pg_enum e WHERE e.enumtypid = t.oid)), ''
  FROM pg_type t JOIN ns n ON n.oid = t.typnamespace
  WHERE t.typtype = 'e' AND t.oid NOT IN (SELECT objid FROM ext)
  UNION ALL
  SELECT 2, 'DOMAIN', format('%I.%I', n.nspname, t.typname),
         format('CREATE DOMAIN %I.%I AS %s', n.nspname, t.typname,
                format_type(t.typbasetype, t.typtypmod))
           || CASE WHEN t.typnotnull THEN ' NOT NULL' ELSE '' END
           || coalesce(' DEFAULT ' || t.typdefault, '')
           || coalesce((SELECT string_agg(' CONSTRAINT ' || quote_ident(c.conname) || ' '
                                          || pg_get_constraintdef(c.oid), '' ORDER BY c.conname)
                        FROM pg_constraint c WHERE c.contypid = t.oid), ''), ''
  FROM pg_type t JOIN ns n ON n.oid = t.typnamespace
  WHERE t.typtype = 'd' AND t.oid NOT IN (SELECT objid FROM ext)
  UNION ALL
  SELECT 3, 'SEQUENCE', format('%I.%I', n.nspname, c.relname),
         format('CREATE SEQUENCE %I.%I AS %s INCREMENT %s MINVALUE %s MAXVALUE %s START %s%s',
                n.nspname, c.relname, format_type(s.seqtypid, NULL), s.seqincrement, s.seqmin,
                s.seqmax, s.seqstart, CASE WHEN s.seqcycle THEN ' CYCLE' ELSE '' END), ''
  FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN ns n ON n.oid = c.relnamespace
  WHERE c.oid NOT IN (SELECT objid FROM ext)
    -- an identity column's own sequence is part of the column
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                    AND d.objid = c.oid AND d.deptype = 'i')
  UNION ALL
  SELECT 4, 'TABLE', format('%I.%I', t.nspname, t.relname),
         format('CREATE %sTABLE %I.%I',
                CASE c.relpersistence WHEN 'u' THEN 'UNLOGGED ' ELSE '' END, t.nspname, t.relname)
           || CASE WHEN c.relispartition
                   THEN ' PARTITION OF ' || (SELECT format('%I.%I', pn.nspname, p.relname)
                                             FROM pg_inherits i
                                             JOIN pg_class p ON p.oid = i.inhparent
                                             JOIN pg_namespace pn ON pn.oid = p.relnamespace
                                             WHERE i.inhrelid = c.oid LIMIT 1)
                        || ' ' || pg_get_expr(c.relpartbound, c.oid)
                   ELSE ' ()' END
           || CASE WHEN c.relkind = 'p' THEN ' PARTITION BY ' || pg_get_partkeydef(c.oid)
                   ELSE '' END, ''
  FROM tbl t JOIN pg_class c ON c.oid = t.oid
  UNION ALL
  SELECT 5, 'COLUMN', format('%I.%I.%I', t.nspname, t.relname, a.attname),
         format('ALTER TABLE %I.%I ADD COLUMN %I %s', t.nspname, t.relname, a.attname,
                format_type(a.atttypid, a.atttypmod))
           || CASE WHEN a.attcollation <> 0 AND a.attcollation <> ty.typcollation
                   THEN ' COLLATE ' || a.attcollation::regcollation::text ELSE '' END
           || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
           || CASE WHEN a.attgenerated = 's'
                   THEN ' GENERATED ALWAYS AS (' || pg_get_expr(d.adbin, d.adrelid) || ') STORED'
                   WHEN d.adbin IS NOT NULL THEN ' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid)
                   ELSE '' END
           || CASE a.attidentity WHEN 'a' THEN ' GENERATED ALWAYS AS IDENTITY'
                                 WHEN 'd' THEN ' GENERATED BY DEFAULT AS IDENTITY' ELSE '' END,
         format('%I.%I', t.nspname, t.relname) || lpad(a.attnum::text, 6, '0')
  FROM tbl t JOIN pg_attribute a ON a.attrelid = t.oid JOIN pg_type ty ON ty.oid = a.atttypid
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  WHERE a.attnum > 0 AND NOT a.attisdropped AND a.attislocal  -- a partition's come with it
  UNION ALL
  SELECT 6, 'CONSTRAINT', format('%I.%I.%I', t.nspname, t.relname, c.conname),
         format('ALTER TABLE %I.%I ADD CONSTRAINT %I ', t.nspname, t.relname, c.conname)
           || pg_get_constraintdef(c.oid), ''
  FROM pg_constraint c JOIN tbl t ON t.oid = c.conrelid
  WHERE c.conislocal  -- a partition's inherited constraints come with it
  UNION ALL
  SELECT 7, 'INDEX', format('%I.%I', t.nspname, ci.relname), pg_get_indexdef(i.indexrelid), ''
  FROM pg_index i JOIN tbl t ON t.oid = i.indrelid JOIN pg_class ci ON ci.oid = i.indexrelid
  -- the index of a PRIMARY KEY, UNIQUE or EXCLUDE constraint comes with the constraint
  WHERE NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid
                    AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))
  UNION ALL
  SELECT 8, CASE c.relkind WHEN 'v' THEN 'VIEW' ELSE 'MATERIALIZED VIEW' END,
         format('%I.%I', n.nspname, c.relname),
         format('CREATE %s %I.%I AS ', CASE c.relkind WHEN 'v' THEN 'VIEW'
                                       ELSE 'MATERIALIZED VIEW' END, n.nspname, c.relname)
           || rtrim(pg_get_viewdef(c.oid, true), ';'), ''
  FROM pg_class c JOIN ns n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('v', 'm') AND c.oid NOT IN (SELECT objid FROM ext)
  UNION ALL
  SELECT 9, CASE p.prokind WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END,
         format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)),
         rtrim(pg_get_functiondef(p.oid), E'\n'), ''
  FROM pg_proc p JOIN ns n ON n.oid = p.pronamespace
  WHERE p.prokind IN ('f', 'p') AND p.oid NOT IN (SELECT objid FROM ext)
  UNION ALL
  SELECT 10, 'TRIGGER', format('%I.%I.%I', t.nspname, t.relname, g.tgname),
         pg_get_triggerdef(g.oid), ''
  FROM pg_trigger g JOIN tbl t ON t.oid = g.tgrelid WHERE NOT g.tgisinternal
) objects
ORDER BY o, CASE WHEN k = '' THEN name ELSE k END COLLATE "C"
)SQL";

// SQLite keeps each object's CREATE statement as written; SQLite's own objects (sqlite_*) and
// automatic indexes (no SQL) are left out.
constexpr const char* kSqliteSchema =
    "SELECT upper(type), name, sql FROM sqlite_master WHERE sql IS NOT NULL "
    "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND tbl_name <> HIST "
    "ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 WHEN 'view' THEN 2 ELSE 3 END, "
    "name";

std::string replaced(std::string sql, std::string_view from, const std::string& to) {
  for (auto at = sql.find(from); at != std::string::npos; at = sql.find(from, at + to.size()))
    sql.replace(at, from.size(), to);
  return sql;
}

// A definition on one line (function bodies and views span many): runs of white space become
// one space, and at most 300 bytes are kept, so a drift report stays one line per object.
std::string one_line(std::string_view text) {
  std::string out;
  bool space = false;
  for (const char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return shown(out, 300);
}

}  // namespace

std::vector<SchemaEntry> read_schema(Database& db, Backend backend,
                                     const std::string& history_table) {
  // The history table's name is an identifier (config.cpp checks it): safe in a literal.
  const std::string hist = "'" + history_table + "'";
  std::string sql = backend == Backend::kPostgres ? kPostgresSchema : kSqliteSchema;
  sql = replaced(std::move(sql), "HIST", hist);
  std::vector<SchemaEntry> out;
  for (auto& row : db.read_rows(sql)) {
    if (row.size() != 3) throw DataError("unable to read the schema: unexpected catalog rows");
    out.push_back({row[0].value_or(""), row[1].value_or(""), row[2].value_or("")});
  }
  return out;
}

std::string schema_text(const std::vector<SchemaEntry>& entries) {
  std::string out;
  for (const auto& e : entries) {
    out += e.text;
    out += ";\n";
  }
  return out;
}

std::string schema_json(const std::vector<SchemaEntry>& entries) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : entries) out.push_back({e.kind, e.name, e.text});
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<SchemaEntry> schema_from_json(const std::string& text) {
  const auto j = nlohmann::json::parse(text, nullptr, false);
  std::vector<SchemaEntry> out;
  if (!j.is_array()) throw DataError("the recorded schema is not readable (not a JSON array)");
  for (const auto& e : j) {
    if (!e.is_array() || e.size() != 3 || !e[0].is_string() || !e[1].is_string() ||
        !e[2].is_string())
      throw DataError("the recorded schema is not readable (an entry is not [kind, name, text])");
    out.push_back({e[0].get<std::string>(), e[1].get<std::string>(), e[2].get<std::string>()});
  }
  return out;
}

std::vector<std::string> schema_drift(const std::vector<SchemaEntry>& recorded,
                                      const std::vector<SchemaEntry>& live) {
  // Entries are matched by kind and name; should a name come twice (a hand-edited snapshot),
  // its occurrences pair up in order.
  using Key = std::tuple<std::string, std::string, std::size_t>;
  const auto keyed = [](const std::vector<SchemaEntry>& v) {
    std::map<Key, const SchemaEntry*> m;
    std::map<std::pair<std::string, std::string>, std::size_t> seen;
    for (const auto& e : v) m[{e.kind, e.name, seen[{e.kind, e.name}]++}] = &e;
    return m;
  };
  const auto before = keyed(recorded);
  const auto now = keyed(live);
  std::vector<std::string> out;
  for (const auto& [key, e] : now) {
    const auto it = before.find(key);
    if (it == before.end())
      out.push_back(fmt::format("added:   {} {}: {}", e->kind, e->name, one_line(e->text)));
    else if (it->second->text != e->text)
      out.push_back(fmt::format("changed: {} {}: {} (was: {})", e->kind, e->name, one_line(e->text),
                                one_line(it->second->text)));
  }
  for (const auto& [key, e] : before)
    if (!now.count(key)) out.push_back(fmt::format("removed: {} {}", e->kind, e->name));
  return out;
}

}  // namespace ballast::migrate
