// The SQLite lint. SQLite offers no parse tree to programs: its own sqlite3_complete finds
// the statements (split_sqlite), and the rules read the first tokens of each one, which in
// SQLite's grammar fix what an ALTER TABLE or DROP TABLE does. Written by hand for that
// reason; the tokens are SQLite's (quoted names in "", ``, [] and '').
#include <fmt/format.h>

#include <map>
#include <set>
#include <string>

#include "common/text.hpp"
#include "migrate/lint.hpp"
#include "migrate/sql_split.hpp"

namespace ballast::migrate {
namespace {

struct Token {
  std::string text;  // a name unquoted, a keyword upper-cased
  bool quoted = false;
};

// The tokens of one statement, as far as `limit` of them.
std::vector<Token> tokens(std::string_view stmt, std::size_t limit) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (out.size() < limit) {
    i = skip_space_and_comments(stmt, i, SqlDialect::kSqlite);
    if (i >= stmt.size()) break;
    const char c = stmt[i];
    const char close = c == '"' ? '"' : c == '`' ? '`' : c == '[' ? ']' : c == '\'' ? '\'' : 0;
    Token t;
    if (close != 0) {
      t.quoted = true;
      ++i;
      while (i < stmt.size()) {
        if (stmt[i] == close) {
          if (close != ']' && i + 1 < stmt.size() && stmt[i + 1] == close) {
            t.text += close;  // a doubled quote is one quote character
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        t.text += stmt[i++];
      }
    } else if (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$' ||
               static_cast<unsigned char>(c) >= 0x80) {
      while (i < stmt.size() &&
             (std::isalnum(static_cast<unsigned char>(stmt[i])) != 0 || stmt[i] == '_' ||
              stmt[i] == '$' || static_cast<unsigned char>(stmt[i]) >= 0x80))
        t.text += stmt[i++];
    } else {
      t.text = std::string(1, c);
      ++i;
    }
    out.push_back(std::move(t));
  }
  return out;
}

// Keyword test: an unquoted token equal to `word` in any case.
bool is(const std::vector<Token>& t, std::size_t i, std::string_view word) {
  return i < t.size() && !t[i].quoted && ascii_upper(t[i].text) == word;
}

// Table names compare without case, as SQLite compares them.
std::string key(const std::string& name) { return ascii_lower(name); }

// The table name at `i` ("schema.table" read as its last part); `i` moves past it.
std::string table_at(const std::vector<Token>& t, std::size_t& i) {
  if (i >= t.size()) return {};
  std::string name = t[i++].text;
  if (i + 1 < t.size() && t[i].text == "." && !t[i].quoted) {
    name = t[i + 1].text;
    i += 2;
  }
  return name;
}

}  // namespace

std::vector<LintFinding> lint_sqlite(std::string_view sql) {
  std::vector<LintFinding> out;
  std::set<std::string> created;
  std::map<std::string, std::size_t> dropped;  // table -> index of its finding in `out`
  std::set<std::string> renamed_into;          // a created table renamed to this name
  // Existing tables renamed away: old name -> (new name, index of the finding). The other
  // rebuild (rename the old table away, create it anew, copy, drop the old copy).
  std::map<std::string, std::pair<std::string, std::size_t>> renamed_away;
  std::set<std::string> old_copies;  // the renamed-away copy of a table created anew
  std::set<std::size_t> rebuilt;     // findings that are a rebuild's steps
  for (const auto& [first, end] : split_sqlite(sql)) {
    const auto t = tokens(sql.substr(first, end - first), 12);
    const std::size_t line = line_of_byte(sql, first);
    const auto add = [&](std::string_view rule, std::string message) {
      out.push_back({std::string(rule), true, line, std::move(message)});
    };
    std::size_t i = 0;
    if (is(t, 0, "CREATE")) {
      i = 1;
      if (is(t, i, "TEMP") || is(t, i, "TEMPORARY")) ++i;
      if (!is(t, i, "TABLE")) continue;
      ++i;
      if (is(t, i, "IF") && is(t, i + 1, "NOT") && is(t, i + 2, "EXISTS")) i += 3;
      const std::string table = key(table_at(t, i));
      created.insert(table);
      if (const auto it = renamed_away.find(table); it != renamed_away.end()) {
        rebuilt.insert(it->second.second);
        old_copies.insert(it->second.first);
      }
    } else if (is(t, 0, "DROP") && is(t, 1, "TABLE")) {
      i = 2;
      if (is(t, i, "IF") && is(t, i + 1, "EXISTS")) i += 2;
      const std::string table = table_at(t, i);
      if (created.count(key(table)) || old_copies.count(key(table))) continue;
      dropped[key(table)] = out.size();
      add("ban-drop-table",
          fmt::format("DROP TABLE {} breaks the release still reading it and loses its data: stop "
                      "using it in one release, drop it in a later one",
                      table));
    } else if (is(t, 0, "ALTER") && is(t, 1, "TABLE")) {
      i = 2;
      const std::string table = table_at(t, i);
      const bool mine = created.count(key(table)) > 0;
      if (is(t, i, "RENAME") && is(t, i + 1, "TO")) {
        if (mine) {
          renamed_into.insert(key(t.size() > i + 2 ? t[i + 2].text : ""));
          continue;
        }
        renamed_away[key(table)] = {key(t.size() > i + 2 ? t[i + 2].text : ""), out.size()};
        add("renaming-table",
            fmt::format("renaming {} breaks the release still using the old name", table));
      } else if ((is(t, i, "RENAME") || is(t, i, "DROP")) && !mine) {
        // ALTER TABLE t RENAME [COLUMN] a TO b, ALTER TABLE t DROP [COLUMN] a.
        const bool rename = is(t, i, "RENAME");
        const std::size_t at = is(t, i + 1, "COLUMN") ? i + 2 : i + 1;
        const std::string column = at < t.size() ? t[at].text : "";
        add(rename ? "renaming-column" : "ban-drop-column",
            rename ? fmt::format("renaming {}.{} breaks the release still using the old name: "
                                 "add the new column, write both, and drop the old one later",
                                 table, column)
                   : fmt::format("dropping {}.{} breaks the release still reading it and loses "
                                 "its data: stop using it in one release, drop it in a later one",
                                 table, column));
      }
    }
  }
  // SQLite's way to change a table (create the new one, copy, drop the old, rename the new one
  // to the old name; or rename the old away, create it anew, copy, drop the old copy) keeps
  // the table and its data: those DROP TABLEs and renames are no finding.
  std::vector<LintFinding> kept;
  for (const auto& [table, index] : dropped)
    if (renamed_into.count(table)) rebuilt.insert(index);
  for (std::size_t k = 0; k < out.size(); ++k)
    if (!rebuilt.count(k)) kept.push_back(std::move(out[k]));
  return kept;
}

}  // namespace ballast::migrate
