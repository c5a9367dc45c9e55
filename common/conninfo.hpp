#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// PostgreSQL connection strings, read the way libpq reads them.
//
// Written here rather than taken from libpq (PQconninfoParse) because entrypoint's policy and
// --wait need the same answers and entrypoint does not link libpq (it would add 600 KiB to a
// 1.5 MiB binary); migrate hands the result back to libpq as a keyword/value string, so libpq
// still has the last word on every value.
namespace ballast {

// One host of a (possibly multi-host) connection string.
struct PgEndpoint {
  std::string host;  // name, IP literal (no brackets), or a unix-socket directory ("/run/pg")
  std::string port;  // "5432" when none was given
  bool unix_socket() const { return !host.empty() && host.front() == '/'; }
};

// The parameters of a connection string as libpq keywords, in the order given (a later value
// of the same keyword wins, as in libpq).
class ConnInfo {
 public:
  std::optional<std::string> get(std::string_view keyword) const;
  void set(std::string_view keyword, std::string value);
  const std::vector<std::pair<std::string, std::string>>& params() const { return params_; }

  // "keyword='value' ..." with \ and ' escaped: what PQconnectdb reads back unchanged.
  std::string to_keyword_value() const;
  // postgres://USER:****@HOST:PORT/DB?PARAM=VALUE... for logs: never a password (shown as
  // **** when one is set).
  std::string display() const;
  // Every host with its port (libpq's host and port lists, paired up; an empty host list is
  // the local socket, shown as host "").
  std::vector<PgEndpoint> endpoints() const;

  // What reading the string changed or dropped (foreign parameters of other tools), one
  // sentence each, for an info line.
  std::vector<std::string> notes;

 private:
  std::vector<std::pair<std::string, std::string>> params_;
};

// Parses libpq's URI form (postgresql://[user[:password]@][host][:port][,...][/dbname][?k=v&...],
// every part percent-decoded, IPv6 hosts in brackets, ssl=true as sslmode=require) or its
// keyword/value form (host=db port=5432 password='a b\'c'). Parameters other tools put in
// their URLs are translated (search_path, currentSchema and schema become options=-c
// search_path=…) or dropped with a note (golang-migrate's x-*, prisma's pool settings);
// any other unknown keyword is an error, since a typo such as ssl_mode must never quietly
// switch a setting off. Throws UsageError with `why` only (the caller names the input).
ConnInfo parse_conninfo(std::string_view text);

// True when `text` is libpq's keyword/value form rather than a URI ("host=db dbname=app").
bool looks_like_keyword_value(std::string_view text);

// Decodes %XX escapes; throws UsageError on a bad escape or %00 (libpq refuses both).
std::string percent_decode(std::string_view text);

}  // namespace ballast
