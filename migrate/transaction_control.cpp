#include "migrate/transaction_control.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

#include "common/error.hpp"
#include "migrate/sql_split.hpp"

namespace ballast::migrate {
namespace {

enum class Kind { kNone, kBegin, kCommit, kOther };

constexpr std::array<std::string_view, 9> kKeywords{
    "BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT", "SAVEPOINT", "RELEASE", "PREPARE"};

// ASCII upper case: SQL keywords are ASCII, and the C library's toupper is a call per byte.
constexpr char upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; }
constexpr bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

// The word at `i` (letters and '_'), as it is written: compared with word_is, never copied
// (scanning runs this on every statement-like position of every file).
std::string_view word_at(std::string_view s, std::size_t i) {
  std::size_t end = i;
  while (end < s.size() && is_word_char(s[end])) ++end;
  return s.substr(std::min(i, s.size()), end - std::min(i, s.size()));
}

// Whether `word` is `upper_word` in any case.
bool word_is(std::string_view word, std::string_view upper_word) {
  return word.size() == upper_word.size() &&
         std::equal(word.begin(), word.end(), upper_word.begin(),
                    [](char a, char b) { return upper(a) == b; });
}

// The first (up to) four words of a statement, comments between them skipped.
struct Words {
  std::array<std::string_view, 4> w{};
  std::string_view operator[](std::size_t i) const { return i < w.size() ? w[i] : ""; }
};

Words words(std::string_view stmt, std::size_t n, SqlDialect dialect) {
  Words out;
  std::size_t i = 0;
  for (std::size_t k = 0; k < n && k < out.w.size(); ++k) {
    i = skip_space_and_comments(stmt, i, dialect);
    const std::string_view w = word_at(stmt, i);
    if (w.empty()) break;
    i += w.size();
    out.w[k] = w;
  }
  return out;
}

// What a statement (starting at its first token) is. The first word decides: in both grammars
// these words start a transaction statement and nothing else.
Kind kind_of(std::string_view stmt, SqlDialect dialect) {
  const Words w = words(stmt, 2, dialect);
  const bool pg = dialect == SqlDialect::kPostgres;
  const bool prepared = word_is(w[1], "PREPARED");
  if (word_is(w[0], "BEGIN")) return Kind::kBegin;
  if (word_is(w[0], "START") && pg) return Kind::kBegin;
  if ((word_is(w[0], "COMMIT") || word_is(w[0], "END")) && !prepared) return Kind::kCommit;
  if (word_is(w[0], "ROLLBACK") || word_is(w[0], "SAVEPOINT") || word_is(w[0], "RELEASE") ||
      (word_is(w[0], "COMMIT") && prepared))
    return Kind::kOther;
  if (word_is(w[0], "ABORT") && pg) return Kind::kOther;
  if (word_is(w[0], "PREPARE") && word_is(w[1], "TRANSACTION") && pg) return Kind::kOther;
  return Kind::kNone;
}

// A cheap first look: the statement-like positions (the text's start, and after every ';')
// where one of the keywords stands. Quotes are not tracked, so it may find too many, never too
// few: every real statement starts at one of these positions. Most files have none, and no
// split runs for them.
std::vector<std::size_t> keyword_positions(std::string_view sql, SqlDialect dialect) {
  std::vector<std::size_t> out;
  std::size_t i = 0;
  for (;;) {
    i = skip_space_and_comments(sql, i, dialect);
    const std::string_view w = word_at(sql, i);
    if (std::any_of(kKeywords.begin(), kKeywords.end(),
                    [&](std::string_view k) { return word_is(w, k); }))
      out.push_back(i);
    const auto semi = sql.find(';', i);
    if (semi == std::string_view::npos) return out;
    i = semi + 1;
  }
}

// The common shape decided without a split: a BEGIN that starts the text and a COMMIT whose
// statement runs to its end, and no keyword anywhere between (so no statement there is
// transaction control). The COMMIT cannot sit inside a quote: nothing but space, comments and
// ';' follows it.
std::optional<TransactionScan> plain_wrapper(std::string_view sql, SqlDialect dialect,
                                             const std::vector<std::size_t>& hits) {
  if (hits.size() != 2 || hits[0] != skip_space_and_comments(sql, 0, dialect)) return std::nullopt;
  if (kind_of(sql.substr(hits[0]), dialect) != Kind::kBegin ||
      kind_of(sql.substr(hits[1]), dialect) != Kind::kCommit)
    return std::nullopt;
  const auto begin_end = sql.find(';', hits[0]);
  if (begin_end == std::string_view::npos || begin_end > hits[1]) return std::nullopt;
  auto end = sql.find(';', hits[1]);
  end = end == std::string_view::npos ? sql.size() : end + 1;
  for (std::size_t i = skip_space_and_comments(sql, end, dialect); i < sql.size();
       i = skip_space_and_comments(sql, i + 1, dialect))
    if (sql[i] != ';') return std::nullopt;
  TransactionScan scan;
  scan.wrapper = {{hits[0], begin_end + 1}, {hits[1], end}};
  return scan;
}

struct Piece {
  std::size_t offset;  // first token
  std::size_t end;     // past the statement's ';' (or the text's end)
};

std::vector<Piece> split_for(std::string_view sql, SqlDialect dialect) {
  std::vector<Piece> out;
  if (dialect == SqlDialect::kPostgres) {
    std::vector<SqlStatement> statements;
    try {
      statements = split_postgres(sql, "");
    } catch (const DataError&) {
      return {};  // the server reports the syntax error, with its position
    }
    for (const auto& s : statements) {
      std::size_t end = s.offset + s.text.size();
      const auto after = skip_space_and_comments(sql, end, dialect);
      if (after < sql.size() && sql[after] == ';') end = after + 1;
      out.push_back({s.offset, end});
    }
    return out;
  }
  for (const auto& [first, end] : split_sqlite(sql)) out.push_back({first, end});
  return out;
}

// Whether `text` holds `upper_word` in any case.
bool mentions(std::string_view text, std::string_view upper_word) {
  return std::search(text.begin(), text.end(), upper_word.begin(), upper_word.end(),
                     [](char a, char b) { return upper(a) == b; }) != text.end();
}

bool outside_only(std::string_view stmt, SqlDialect dialect) {
  const Words w = words(stmt, 4, dialect);
  const auto at = [&](std::size_t i, std::string_view upper_word) {
    return word_is(w[i], upper_word);
  };
  if (at(0, "VACUUM")) return true;
  if (dialect != SqlDialect::kPostgres) return false;
  if (at(0, "CREATE") && at(1, "INDEX") && at(2, "CONCURRENTLY")) return true;
  if (at(0, "CREATE") && at(1, "UNIQUE") && at(2, "INDEX") && at(3, "CONCURRENTLY")) return true;
  if (at(0, "DROP") && at(1, "INDEX") && at(2, "CONCURRENTLY")) return true;
  if (at(0, "REINDEX"))
    return at(1, "DATABASE") || at(1, "SYSTEM") || mentions(stmt, "CONCURRENTLY");
  if (at(0, "ALTER") && at(1, "TABLE") && mentions(stmt, "DETACH PARTITION"))
    return mentions(stmt, "CONCURRENTLY") || mentions(stmt, "FINALIZE");
  if ((at(0, "CREATE") || at(0, "DROP")) &&
      (at(1, "DATABASE") || at(1, "TABLESPACE") || at(1, "SUBSCRIPTION")))
    return true;
  return at(0, "ALTER") && at(1, "SYSTEM");
}

std::string first_words(std::string_view stmt) {
  std::string out;
  for (char c : stmt.substr(0, 40)) {
    if (c == ';' || c == '\n' || c == '\r') break;
    out += c;
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) out.pop_back();
  return out;
}

}  // namespace

TransactionScan scan_transaction_control(std::string_view sql, SqlDialect dialect) {
  TransactionScan scan;
  const auto hits = keyword_positions(sql, dialect);
  if (hits.empty()) return scan;
  if (auto wrapped = plain_wrapper(sql, dialect, hits)) return *wrapped;
  const auto pieces = split_for(sql, dialect);
  std::vector<std::pair<std::size_t, Kind>> found;  // index in pieces, kind
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    const Kind k = kind_of(sql.substr(pieces[i].offset), dialect);
    if (k != Kind::kNone) found.emplace_back(i, k);
  }
  if (found.empty()) return scan;
  const bool wrapped =
      found.size() >= 2 && found.front().first == 0 && found.front().second == Kind::kBegin &&
      found.back().first == pieces.size() - 1 && found.back().second == Kind::kCommit;
  if (wrapped) {
    scan.wrapper = {{pieces.front().offset, pieces.front().end},
                    {pieces.back().offset, pieces.back().end}};
    found.erase(found.begin());
    found.pop_back();
  }
  for (const auto& [i, k] : found)
    scan.stray.push_back(
        {first_words(sql.substr(pieces[i].offset, pieces[i].end - pieces[i].offset)),
         pieces[i].offset});
  return scan;
}

std::string needs_no_transaction(std::string_view sql, SqlDialect dialect) {
  // Most files name none of these words: no split for them.
  if (!mentions(sql, "VACUUM") && (dialect != SqlDialect::kPostgres ||
                                   (!mentions(sql, "CONCURRENTLY") && !mentions(sql, "DATABASE") &&
                                    !mentions(sql, "TABLESPACE") && !mentions(sql, "SYSTEM") &&
                                    !mentions(sql, "SUBSCRIPTION") && !mentions(sql, "DETACH"))))
    return {};
  for (const auto& p : split_for(sql, dialect)) {
    const auto stmt = sql.substr(p.offset, p.end - p.offset);
    if (outside_only(stmt, dialect)) return first_words(stmt);
  }
  return {};
}

std::string blank_ranges(std::string_view sql,
                         const std::vector<std::pair<std::size_t, std::size_t>>& ranges) {
  std::string out(sql);
  for (const auto& [begin, end] : ranges)
    for (std::size_t i = begin; i < end && i < out.size(); ++i)
      if (out[i] != '\n' && out[i] != '\r') out[i] = ' ';
  return out;
}

}  // namespace ballast::migrate
