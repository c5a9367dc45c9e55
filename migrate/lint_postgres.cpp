// The PostgreSQL lint: libpg_query's parse tree of a file (as JSON: the nodes this reads are
// few, and JSON needs no generated protobuf code), walked statement by statement. Which lock
// each statement takes is PostgreSQL's documented behaviour (the ALTER TABLE and explicit
// locking pages); the rules are in lint.cpp and docs/lint/.
#include <fmt/format.h>
#include <pg_query.h>

#include <array>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "common/text.hpp"
#include "migrate/lint.hpp"

namespace ballast::migrate {
namespace {

using Json = nlohmann::json;

const Json kNull;

// The member `key` of an object, or null: the tree leaves out false, 0 and empty members.
const Json& at(const Json& j, const char* key) {
  if (!j.is_object()) return kNull;
  const auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}
std::string text_of(const Json& j, const char* key) {
  const Json& v = at(j, key);
  return v.is_string() ? v.get<std::string>() : std::string();
}
bool flag(const Json& j, const char* key) {
  const Json& v = at(j, key);
  return v.is_boolean() && v.get<bool>();
}
// The list member `key` (empty when absent).
const Json& list(const Json& j, const char* key) {
  static const Json kEmpty = Json::array();
  const Json& v = at(j, key);
  return v.is_array() ? v : kEmpty;
}

// A RangeVar's name as written: "schema.table" or "table".
std::string relation_name(const Json& range_var) {
  const std::string schema = text_of(range_var, "schemaname");
  const std::string name = text_of(range_var, "relname");
  return schema.empty() ? name : schema + "." + name;
}

// The last part of a qualified name list ("int4" of pg_catalog.int4).
std::string last_name(const Json& names) {
  if (!names.is_array() || names.empty()) return {};
  return text_of(at(names.back(), "String"), "sval");
}

// The last name of a TypeName ("int4" for pg_catalog.int4, "serial").
std::string type_name(const Json& type) { return last_name(list(type, "names")); }

// Functions a default may call without rewriting the table: PostgreSQL 11 stores a
// non-volatile default once instead of writing it into every row. These are the stable and
// immutable ones migrations use for defaults; any other call might be volatile, and the safe
// answer is to say so.
constexpr std::array<std::string_view, 22> kNonVolatile{"now",
                                                        "statement_timestamp",
                                                        "transaction_timestamp",
                                                        "current_setting",
                                                        "lower",
                                                        "upper",
                                                        "btrim",
                                                        "trim",
                                                        "concat",
                                                        "to_json",
                                                        "to_jsonb",
                                                        "jsonb_build_object",
                                                        "json_build_object",
                                                        "jsonb_build_array",
                                                        "json_build_array",
                                                        "array_to_json",
                                                        "make_interval",
                                                        "make_date",
                                                        "make_timestamptz",
                                                        "to_timestamp",
                                                        "to_date",
                                                        "timezone"};

// The serial pseudo-types: an integer column with a sequence's nextval() default.
bool is_serial(std::string_view t) {
  return t == "serial" || t == "serial4" || t == "bigserial" || t == "serial8" ||
         t == "smallserial" || t == "serial2";
}

// The first function call in a default expression that may be volatile, or "".
std::string volatile_call(const Json& expr) {
  if (expr.is_object()) {
    if (const Json& call = at(expr, "FuncCall"); call.is_object()) {
      const std::string name = last_name(list(call, "funcname"));
      if (std::find(kNonVolatile.begin(), kNonVolatile.end(), ascii_lower(name)) ==
          kNonVolatile.end())
        return name + "()";
    }
  }
  if (expr.is_object() || expr.is_array()) {
    for (const auto& value : expr) {
      std::string found = volatile_call(value);
      if (!found.empty()) return found;
    }
  }
  return {};
}

class PostgresLint {
 public:
  PostgresLint(std::string_view sql, bool no_transaction, const LintOptions& options)
      : sql_(sql), no_transaction_(no_transaction), options_(options) {}

  std::vector<LintFinding> run(const Json& tree) {
    for (const auto& raw : list(tree, "stmts")) {
      const Json& stmt = at(raw, "stmt");
      if (!stmt.is_object() || stmt.empty()) continue;
      const Json& loc = at(raw, "stmt_location");
      line_ = line_at(loc.is_number() ? loc.get<std::size_t>() : 0);
      // The statement node's one member: its type name and its fields.
      const auto first = stmt.begin();
      statement(first.key(), first.value());
    }
    return std::move(out_);
  }

 private:
  std::size_t line_at(std::size_t offset) const {
    return line_of_byte(sql_, skip_space_and_comments(sql_, offset));
  }

  void add(std::string_view rule, std::string message) {
    const LintRule* r = find_lint_rule(rule);
    out_.push_back({std::string(rule), r != nullptr && r->blocking, line_, std::move(message)});
  }

  bool created_here(const std::string& table) const { return created_.count(table) > 0; }

  // A lock on an existing table: without lock_timeout it waits behind long transactions and
  // every later query on the table waits behind it.
  void takes_lock(const std::string& table) {
    if (options_.apply_sets_lock_timeout || lock_timeout_set_ || lock_warned_ ||
        created_here(table))
      return;
    lock_warned_ = true;
    add("require-lock-timeout",
        fmt::format("\"{}\" is locked with no lock_timeout (apply runs with --pg-lock-timeout 0): "
                    "put SET lock_timeout = '5s' first",
                    table));
  }

  void statement(const std::string& kind, const Json& n) {
    if (kind == "CreateStmt") return create_table(n);
    if (kind == "CreateTableAsStmt") {
      created_.insert(relation_name(at(at(n, "into"), "rel")));
      return;
    }
    if (kind == "IndexStmt") return create_index(n);
    if (kind == "AlterTableStmt") return alter_table(n);
    if (kind == "DropStmt") return drop(n);
    if (kind == "DropdbStmt")
      return add("ban-drop-database",
                 fmt::format("DROP DATABASE {} destroys a whole database", text_of(n, "dbname")));
    if (kind == "RenameStmt") return rename(n);
    if (kind == "ReindexStmt") return reindex(n);
    if (kind == "TruncateStmt") {
      if (text_of(n, "behavior") == "DROP_CASCADE")
        add("ban-truncate-cascade",
            "TRUNCATE ... CASCADE also empties every table with a foreign key to these: name "
            "each table to empty");
      return;
    }
    if (kind == "VariableSetStmt") {
      if (ascii_lower(text_of(n, "name")) == "lock_timeout") lock_timeout_set_ = true;
      return;
    }
    if (kind == "CreateDomainStmt") {
      for (const auto& c : list(n, "constraints"))
        if (text_of(at(c, "Constraint"), "contype") == "CONSTR_CHECK")
          return add("ban-create-domain-with-constraint",
                     "a CHECK on a domain: put the CHECK on the tables' columns instead (a "
                     "domain's constraint is validated against every column using it)");
      return;
    }
    if (kind == "AlterDomainStmt" && text_of(n, "subtype") == "C")
      add("ban-alter-domain-with-add-constraint",
          "ALTER DOMAIN ... ADD CONSTRAINT scans every column of the domain: add it NOT VALID, "
          "then VALIDATE CONSTRAINT in a later migration");
  }

  void column_types(const Json& column) {
    const std::string col = text_of(column, "colname");
    const Json& type = at(column, "typeName");
    const std::string t = ascii_lower(type_name(type));
    if (t == "int4" || t == "int" || t == "integer" || t == "serial" || t == "serial4")
      add("prefer-bigint-over-int",
          fmt::format("column \"{}\" is a 32-bit integer: use bigint (int8) so it cannot run out",
                      col));
    if (t == "int2" || t == "smallint" || t == "smallserial" || t == "serial2")
      add("prefer-bigint-over-smallint",
          fmt::format("column \"{}\" is a smallint: use bigint so it cannot run out", col));
    if (is_serial(t))
      add("prefer-identity", fmt::format("column \"{}\" is {}: use bigint GENERATED BY DEFAULT "
                                         "AS IDENTITY",
                                         col, t));
    if (t == "timestamp")
      add("prefer-timestamp-tz",
          fmt::format("column \"{}\" is timestamp without time zone: use timestamptz", col));
    if (t == "bpchar" || t == "character")
      add("ban-char-field", fmt::format("column \"{}\" is char(n): use text", col));
    if (t == "varchar" && !list(type, "typmods").empty())
      add("prefer-text-field",
          fmt::format("column \"{}\" is varchar(n): use text with a CHECK (length(...) <= n) "
                      "that can change without a lock",
                      col));
  }

  void create_table(const Json& n) {
    const std::string table = relation_name(at(n, "relation"));
    if (no_transaction_ && !flag(n, "if_not_exists"))
      add("prefer-robust-stmts",
          fmt::format("CREATE TABLE {} in a no-transaction file: write CREATE TABLE IF NOT "
                      "EXISTS so a run cut off half-way can run again",
                      table));
    created_.insert(table);
    for (const auto& e : list(n, "tableElts"))
      if (const Json& col = at(e, "ColumnDef"); col.is_object()) column_types(col);
  }

  void create_index(const Json& n) {
    const std::string table = relation_name(at(n, "relation"));
    if (no_transaction_ && !flag(n, "if_not_exists"))
      add("prefer-robust-stmts",
          "CREATE INDEX in a no-transaction file: write CREATE INDEX CONCURRENTLY IF NOT "
          "EXISTS so a run cut off half-way can run again (drop an INVALID index it left "
          "first)");
    if (created_here(table) || flag(n, "concurrent")) return;
    takes_lock(table);
    add("require-concurrent-index-creation",
        fmt::format("CREATE INDEX on \"{}\" blocks its writes while the index builds: use "
                    "CREATE INDEX CONCURRENTLY (migrate runs the file outside a transaction)",
                    table));
  }

  void add_column(const std::string& table, const Json& column) {
    const std::string col = text_of(column, "colname");
    column_types(column);
    const std::string t = ascii_lower(type_name(at(column, "typeName")));
    const bool serial = is_serial(t);
    bool not_null = false;
    bool has_default = serial;
    for (const auto& c : list(column, "constraints")) {
      const Json& con = at(c, "Constraint");
      const std::string type = text_of(con, "contype");
      if (type == "CONSTR_NOTNULL") not_null = true;
      if (type == "CONSTR_DEFAULT") {
        has_default = true;
        if (const std::string call = volatile_call(at(con, "raw_expr")); !call.empty())
          add("adding-field-with-default",
              fmt::format("column \"{}\" of \"{}\" gets a default calling {}, which may be "
                          "volatile: every row is rewritten under an ACCESS EXCLUSIVE lock. Add "
                          "the column without it, set the default, then backfill in batches",
                          col, table, call));
      }
      if (type == "CONSTR_GENERATED" || type == "CONSTR_IDENTITY") {
        has_default = true;
        add("adding-field-with-default",
            fmt::format(
                "column \"{}\" of \"{}\" is {}: every row is rewritten under an ACCESS "
                "EXCLUSIVE lock",
                col, table,
                type == "CONSTR_GENERATED" ? "a stored generated column" : "an identity column"));
      }
      if (type == "CONSTR_PRIMARY")
        add("adding-serial-primary-key-field",
            fmt::format("column \"{}\" added to \"{}\" as its PRIMARY KEY builds the index under "
                        "an ACCESS EXCLUSIVE lock: CREATE UNIQUE INDEX CONCURRENTLY, then ADD "
                        "PRIMARY KEY USING INDEX",
                        col, table));
      if (type == "CONSTR_UNIQUE")
        add("disallowed-unique-constraint",
            fmt::format("column \"{}\" added to \"{}\" as UNIQUE builds the index under an ACCESS "
                        "EXCLUSIVE lock: CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT "
                        "... UNIQUE USING INDEX",
                        col, table));
    }
    if (serial)
      add("adding-field-with-default",
          fmt::format("column \"{}\" of \"{}\" is {}: its nextval() default rewrites every row "
                      "under an ACCESS EXCLUSIVE lock",
                      col, table, t));
    if (not_null && !has_default)
      add("adding-required-field",
          fmt::format("column \"{}\" is added to \"{}\" as NOT NULL without a default: it fails on "
                      "a table with rows, and the release still running inserts without it. Add "
                      "it nullable (or with a default), backfill, then constrain it",
                      col, table));
  }

  void add_constraint(const std::string& table, const Json& con) {
    const std::string type = text_of(con, "contype");
    const std::string name = text_of(con, "conname");
    const std::string shown_name = name.empty() ? std::string() : " \"" + name + "\"";
    if ((type == "CONSTR_CHECK" || type == "CONSTR_FOREIGN") && flag(con, "skip_validation") &&
        !name.empty())
      added_not_valid_.insert(fmt::format("{}\n{}", table, name));
    if (type == "CONSTR_CHECK" && !flag(con, "skip_validation"))
      add("constraint-missing-not-valid",
          fmt::format("CHECK{} on \"{}\" without NOT VALID scans the table under an ACCESS "
                      "EXCLUSIVE lock: add it NOT VALID, then VALIDATE CONSTRAINT in a later "
                      "migration",
                      shown_name, table));
    if (type == "CONSTR_FOREIGN" && !flag(con, "skip_validation"))
      add("adding-foreign-key-constraint",
          fmt::format("FOREIGN KEY{} on \"{}\" without NOT VALID scans it while blocking writes "
                      "to it and to \"{}\": add it NOT VALID, then VALIDATE CONSTRAINT in a later "
                      "migration",
                      shown_name, table, relation_name(at(con, "pktable"))));
    if ((type == "CONSTR_UNIQUE" || type == "CONSTR_EXCLUSION") &&
        text_of(con, "indexname").empty())
      add("disallowed-unique-constraint",
          fmt::format("{}{} on \"{}\" builds its index under an ACCESS EXCLUSIVE lock: CREATE "
                      "UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT ... UNIQUE USING "
                      "INDEX",
                      type == "CONSTR_UNIQUE" ? "UNIQUE" : "EXCLUDE", shown_name, table));
    if (type == "CONSTR_PRIMARY" && text_of(con, "indexname").empty())
      add("adding-serial-primary-key-field",
          fmt::format("PRIMARY KEY on \"{}\" builds its index under an ACCESS EXCLUSIVE lock: "
                      "CREATE UNIQUE INDEX CONCURRENTLY first, then ADD PRIMARY KEY USING INDEX",
                      table));
  }

  void alter_table(const Json& n) {
    if (!text_of(n, "objtype").empty() && text_of(n, "objtype") != "OBJECT_TABLE") return;
    const std::string table = relation_name(at(n, "relation"));
    if (created_here(table)) return;
    takes_lock(table);
    for (const auto& item : list(n, "cmds")) {
      const Json& cmd = at(item, "AlterTableCmd");
      const std::string sub = text_of(cmd, "subtype");
      const std::string col = text_of(cmd, "name");
      if (sub == "AT_AddColumn") {
        add_column(table, at(at(cmd, "def"), "ColumnDef"));
      } else if (sub == "AT_AddConstraint") {
        add_constraint(table, at(at(cmd, "def"), "Constraint"));
      } else if (sub == "AT_ValidateConstraint") {
        validated_.insert(table);
        // ADD ... NOT VALID took an ACCESS EXCLUSIVE lock that the transaction still holds:
        // validating in the same transaction scans under it, which NOT VALID was to avoid.
        if (!no_transaction_ && added_not_valid_.count(fmt::format("{}\n{}", table, col)))
          add("constraint-missing-not-valid",
              fmt::format("VALIDATE CONSTRAINT \"{}\" in the transaction that added it NOT VALID "
                          "scans \"{}\" under the ADD's ACCESS EXCLUSIVE lock: validate in a later "
                          "migration",
                          col, table));
      } else if (sub == "AT_SetNotNull") {
        if (!validated_.count(table))
          add("adding-not-nullable-field",
              fmt::format("SET NOT NULL on \"{}\".\"{}\" scans the table under an ACCESS "
                          "EXCLUSIVE lock: add CHECK (\"{}\" IS NOT NULL) NOT VALID, VALIDATE "
                          "it, then SET NOT NULL (PostgreSQL 12+ then skips the scan)",
                          table, col, col));
      } else if (sub == "AT_DropNotNull") {
        add("ban-drop-not-null",
            fmt::format("DROP NOT NULL on \"{}\".\"{}\": once NULLs are written it cannot come "
                        "back without fixing them",
                        table, col));
      } else if (sub == "AT_AlterColumnType") {
        add("changing-column-type",
            fmt::format("changing the type of \"{}\".\"{}\" rewrites the table and its indexes "
                        "under an ACCESS EXCLUSIVE lock: add a new column, backfill, and switch "
                        "over",
                        table, col));
        column_types(at(at(cmd, "def"), "ColumnDef"));
      } else if (sub == "AT_DropColumn") {
        add("ban-drop-column",
            fmt::format("dropping \"{}\".\"{}\" breaks the release still reading it and loses "
                        "its data: stop using it in one release, drop it in a later one",
                        table, col));
      } else if (sub == "AT_DetachPartition" &&
                 !flag(at(at(cmd, "def"), "PartitionCmd"), "concurrent")) {
        add("require-concurrent-partition-detach",
            fmt::format("DETACH PARTITION on \"{}\" takes an ACCESS EXCLUSIVE lock on it: use "
                        "DETACH PARTITION ... CONCURRENTLY (migrate runs it outside a "
                        "transaction)",
                        table));
      }
    }
  }

  void drop(const Json& n) {
    const std::string type = text_of(n, "removeType");
    if (no_transaction_ && !flag(n, "missing_ok"))
      add("prefer-robust-stmts",
          "DROP in a no-transaction file: write DROP ... IF EXISTS so a run cut off half-way "
          "can run again");
    for (const auto& object : list(n, "objects")) {
      std::string name;
      for (const auto& part : list(at(object, "List"), "items"))
        name += (name.empty() ? "" : ".") + text_of(at(part, "String"), "sval");
      if (type == "OBJECT_TABLE" && !created_here(name)) {
        takes_lock(name);
        add("ban-drop-table",
            fmt::format("DROP TABLE {} breaks the release still reading it and loses its data: "
                        "stop using it in one release, drop it in a later one",
                        name));
      } else if (type == "OBJECT_INDEX" && !flag(n, "concurrent")) {
        add("require-concurrent-index-deletion",
            fmt::format("DROP INDEX {} takes an ACCESS EXCLUSIVE lock on its table: use DROP "
                        "INDEX CONCURRENTLY",
                        name));
      }
    }
  }

  void rename(const Json& n) {
    const std::string type = text_of(n, "renameType");
    const std::string table = relation_name(at(n, "relation"));
    if (created_here(table)) return;
    if (type == "OBJECT_COLUMN" && text_of(n, "relationType") == "OBJECT_TABLE") {
      takes_lock(table);
      add("renaming-column",
          fmt::format("renaming \"{}\".\"{}\" to \"{}\" breaks the release still using the old "
                      "name: add the new column, write both, and drop the old one later",
                      table, text_of(n, "subname"), text_of(n, "newname")));
    } else if (type == "OBJECT_TABLE") {
      takes_lock(table);
      add("renaming-table",
          fmt::format("renaming \"{}\" to \"{}\" breaks the release still using the old name "
                      "(a view of the old name can bridge one release)",
                      table, text_of(n, "newname")));
    }
  }

  void reindex(const Json& n) {
    for (const auto& p : list(n, "params"))
      if (ascii_lower(text_of(at(p, "DefElem"), "defname")) == "concurrently") return;
    add("require-concurrent-reindex",
        fmt::format(
            "REINDEX {} blocks writes while it rebuilds: use REINDEX ... CONCURRENTLY",
            text_of(n, "name").empty() ? relation_name(at(n, "relation")) : text_of(n, "name")));
  }

  std::string_view sql_;
  bool no_transaction_;
  const LintOptions& options_;
  std::size_t line_ = 1;
  std::set<std::string> created_;          // tables this file creates: no live traffic yet
  std::set<std::string> validated_;        // tables with a constraint validated earlier in the file
  std::set<std::string> added_not_valid_;  // "table\nconstraint" added NOT VALID in this file
  bool lock_timeout_set_ = false;
  bool lock_warned_ = false;
  std::vector<LintFinding> out_;
};

}  // namespace

std::vector<LintFinding> lint_postgres(std::string_view sql, bool no_transaction,
                                       const LintOptions& options) {
  // libpg_query reads C text; a NUL is reported by verify as a syntax problem.
  if (sql.find('\0') != std::string_view::npos) return {};
  const std::string text(sql);
  PgQueryParseResult r = pg_query_parse(text.c_str());
  std::unique_ptr<PgQueryParseResult, void (*)(PgQueryParseResult*)> owned(
      &r, [](PgQueryParseResult* p) { pg_query_free_parse_result(*p); });
  if (r.error != nullptr || r.parse_tree == nullptr) return {};
  const Json tree = Json::parse(r.parse_tree, nullptr, false);
  if (tree.is_discarded()) return {};
  return PostgresLint(sql, no_transaction, options).run(tree);
}

}  // namespace ballast::migrate
