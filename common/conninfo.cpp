#include "common/conninfo.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "common/error.hpp"
#include "common/parse.hpp"
#include "common/text.hpp"

namespace ballast {
namespace {

// libpq's keywords (PostgreSQL 15, plus those later releases added, which libpq 15 then
// refuses with its own message).
// clang-format off
constexpr std::array<std::string_view, 43> kLibpqKeywords{
    "host", "hostaddr", "port", "dbname", "user", "password", "passfile", "channel_binding",
    "connect_timeout", "client_encoding", "options", "application_name",
    "fallback_application_name", "keepalives", "keepalives_idle", "keepalives_interval",
    "keepalives_count", "tcp_user_timeout", "replication", "gssencmode", "sslmode", "requiressl",
    "sslcompression", "sslcert", "sslkey", "sslpassword", "sslrootcert", "sslcrl", "sslcrldir",
    "sslsni", "requirepeer", "ssl_min_protocol_version", "ssl_max_protocol_version", "krbsrvname",
    "gsslib", "service", "target_session_attrs", "require_auth", "sslcertmode",
    "load_balance_hosts", "sslnegotiation", "gssdelegation", "sslkeylogfile"};
// clang-format on

// Parameters of other tools' URLs that mean nothing to libpq and may be dropped: pool and
// driver settings of prisma, Rails, pgx, lib/pq, golang-migrate and JDBC drivers.
// clang-format off
constexpr auto kDroppable = std::to_array<std::string_view>({
    // prisma
    "connection_limit", "pool_timeout", "pgbouncer", "socket_timeout", "statement_cache_size",
    "sslaccept", "sslidentity",
    // pgjdbc
    "prepareThreshold", "loginTimeout", "connectTimeout", "socketTimeout", "tcpKeepAlive",
    "sslfactory", "loggerLevel", "loggerFile", "loadBalanceHosts", "hostRecheckSeconds",
    "targetServerType", "autosave", "cleanupSavepoints", "preferQueryMode",
    "reWriteBatchedInserts", "stringtype", "assumeMinServerVersion", "readOnly", "readOnlyMode",
    "defaultRowFetchSize", "binaryTransfer", "tcpNoDelay", "cancelSignalTimeout",
    "logUnclosedConnections", "sslhostnameverifier", "sslpasswordcallback",
    "sslResponseTimeout", "gssEncMode", "kerberosServerName", "jaasApplicationName",
    "escapeSyntaxCallMode", "maxResultBuffer", "adaptiveFetch", "quoteReturningIdentifiers",
    "logServerErrorDetail", "unknownLength", "protocolVersion", "allowEncodingChanges",
    "receiveBufferSize", "sendBufferSize",
    // Rails
    "pool", "reconnect", "prepared_statements", "statement_limit", "checkout_timeout",
    "idle_timeout", "reaping_frequency", "advisory_locks",
    // pgx and lib/pq
    "pool_max_conns", "pool_min_conns", "pool_max_conn_lifetime", "pool_max_conn_idle_time",
    "pool_health_check_period", "pool_max_conn_lifetime_jitter", "statement_cache_capacity",
    "description_cache_capacity", "default_query_exec_mode", "binary_parameters",
    "disable_prepared_binary_result",
});
// clang-format on

// Server settings other tools put in URLs; libpq takes them as options=-c NAME=VALUE.
constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kServerSettings{{
    {"search_path", "search_path"},
    {"currentSchema", "search_path"},  // JDBC
    {"schema", "search_path"},         // prisma
    {"statement_timeout", "statement_timeout"},
    {"lock_timeout", "lock_timeout"},
    {"idle_in_transaction_session_timeout", "idle_in_transaction_session_timeout"},
    {"timezone", "TimeZone"},
    {"TimeZone", "TimeZone"},
}};

bool is_libpq_keyword(std::string_view k) {
  return std::find(kLibpqKeywords.begin(), kLibpqKeywords.end(), k) != kLibpqKeywords.end();
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// Escapes a value for libpq's options parameter: space and backslash are special there.
std::string options_escape(std::string_view v) {
  std::string out;
  for (const char c : v) {
    if (c == ' ' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

// Adds one parameter as read from either form, translating other tools' spellings.
void add_param(ConnInfo& info, std::string key, std::string value) {
  if (key == "sslmode" && value == "no-verify") {  // node-postgres: encrypt, do not verify
    info.notes.emplace_back("sslmode=no-verify (node-postgres) is libpq's sslmode=require");
    value = "require";
  }
  if (is_libpq_keyword(key)) {
    info.set(key, std::move(value));
    return;
  }
  if (key == "ssl") {  // JDBC and node-postgres: true/false; asyncpg: an sslmode
    if (value == "true" || value == "1") {
      info.set("sslmode", "require");
    } else if (value == "require" || value == "verify-ca" || value == "verify-full" ||
               value == "prefer" || value == "allow" || value == "disable") {
      info.set("sslmode", value);
    } else if (value != "false" && value != "0") {
      throw UsageError(fmt::format("ssl='{}': use ssl=true, or sslmode=require", shown(value)));
    }
    return;
  }
  if (key == "socket") {  // dbmate: the folder of the server's unix socket
    info.set("host", std::move(value));
    return;
  }
  if (key == "ApplicationName") {  // JDBC
    info.set("application_name", std::move(value));
    return;
  }
  if (key == "encoding") {  // Rails
    info.set("client_encoding", std::move(value));
    return;
  }
  for (const auto& [name, setting] : kServerSettings) {
    if (key != name) continue;
    std::string opts = info.get("options").value_or("");
    if (!opts.empty()) opts += ' ';
    opts += fmt::format("-c {}={}", setting, options_escape(value));
    info.set("options", opts);
    info.notes.push_back(fmt::format("{}={} is set as options=-c {}={}", key, value, setting,
                                     options_escape(value)));
    return;
  }
  if (key.starts_with("x-") ||
      std::find(kDroppable.begin(), kDroppable.end(), key) != kDroppable.end()) {
    info.notes.push_back(
        fmt::format("{} is another tool's setting, not a connection parameter: ignored", key));
    return;
  }
  throw UsageError(fmt::format(
      "unknown connection parameter '{}': use libpq's (host, port, dbname, user, password, "
      "sslmode, options, connect_timeout, application_name, ...)",
      shown(key)));
}

// host[:port] items of a URI's host list: "h1:5432,[::1]:5433,h3".
void parse_host_list(ConnInfo& info, std::string_view spec) {
  std::vector<std::string> hosts;
  std::vector<std::string> ports;
  bool any_port = false;
  for (const std::string_view item : split(spec, ',')) {
    std::string_view port;
    std::string host;
    if (item.starts_with('[')) {
      const auto close = item.find(']');
      if (close == std::string_view::npos) throw UsageError("unclosed '[' in the host");
      host = std::string(item.substr(1, close - 1));
      const auto after = item.substr(close + 1);
      if (!after.empty()) {
        if (after.front() != ':') throw UsageError("expected ':PORT' after the IPv6 address");
        port = after.substr(1);
      }
    } else {
      const auto colon = item.find(':');
      host = percent_decode(item.substr(0, colon));
      if (colon != std::string_view::npos) port = item.substr(colon + 1);
    }
    if (!port.empty() && !parse_uint(port, 1u, 65535u))
      throw UsageError(fmt::format("bad port '{}'", shown(port)));
    any_port = any_port || !port.empty();
    hosts.push_back(std::move(host));
    ports.emplace_back(port);
  }
  const auto joined = [](const std::vector<std::string>& v) {
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? "," : "") + v[i];
    return out;
  };
  if (!(hosts.size() == 1 && hosts[0].empty())) info.set("host", joined(hosts));
  if (any_port) info.set("port", joined(ports));
}

ConnInfo parse_uri(std::string_view text, std::size_t after_scheme) {
  ConnInfo info;
  std::string_view rest = text.substr(after_scheme);
  std::string_view query;
  if (const auto q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  std::string_view path;
  if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
    path = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
  }
  // The last '@' ends the user part: an unencoded '@' in a password is read as people mean it.
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
    const std::string_view userinfo = rest.substr(0, at);
    const auto colon = userinfo.find(':');
    const std::string user = percent_decode(userinfo.substr(0, colon));
    if (!user.empty()) info.set("user", user);
    if (colon != std::string_view::npos)
      info.set("password", percent_decode(userinfo.substr(colon + 1)));
    rest = rest.substr(at + 1);
  }
  if (!rest.empty()) parse_host_list(info, rest);
  if (!path.empty()) info.set("dbname", percent_decode(path));
  for (const std::string_view pair : split(query, '&', true)) {
    const auto kv = split_once(pair, '=');
    if (!kv) throw UsageError(fmt::format("missing '=' in URI query parameter '{}'", shown(pair)));
    add_param(info, percent_decode(kv->first), percent_decode(kv->second));
  }
  return info;
}

ConnInfo parse_keyword_value(std::string_view text) {
  ConnInfo info;
  std::size_t i = 0;
  const auto skip_space = [&] {
    while (i < text.size() && is_space(text[i])) ++i;
  };
  for (;;) {
    skip_space();
    if (i >= text.size()) break;
    const std::size_t key_start = i;
    while (i < text.size() && text[i] != '=' && !is_space(text[i])) ++i;
    const std::string key(text.substr(key_start, i - key_start));
    skip_space();
    if (i >= text.size() || text[i] != '=')
      throw UsageError(fmt::format("missing '=' after '{}'", shown(key)));
    ++i;
    skip_space();
    std::string value;
    if (i < text.size() && text[i] == '\'') {
      ++i;
      bool closed = false;
      while (i < text.size()) {
        const char c = text[i++];
        if (c == '\\' && i < text.size()) {
          value.push_back(text[i++]);
        } else if (c == '\'') {
          closed = true;
          break;
        } else {
          value.push_back(c);
        }
      }
      if (!closed) throw UsageError(fmt::format("unterminated quoted value of '{}'", shown(key)));
    } else {
      while (i < text.size() && !is_space(text[i])) {
        if (text[i] == '\\' && i + 1 < text.size()) ++i;
        value.push_back(text[i++]);
      }
    }
    add_param(info, key, std::move(value));
  }
  return info;
}

}  // namespace

std::optional<std::string> ConnInfo::get(std::string_view keyword) const {
  for (auto it = params_.rbegin(); it != params_.rend(); ++it)
    if (it->first == keyword) return it->second;
  return std::nullopt;
}

void ConnInfo::set(std::string_view keyword, std::string value) {
  for (auto& [k, v] : params_) {
    if (k == keyword) {
      v = std::move(value);
      return;
    }
  }
  params_.emplace_back(std::string(keyword), std::move(value));
}

std::string ConnInfo::to_keyword_value() const {
  std::string out;
  for (const auto& [k, v] : params_) {
    if (!out.empty()) out += ' ';
    out += k + "='";
    for (const char c : v) {
      if (c == '\'' || c == '\\') out.push_back('\\');
      out.push_back(c);
    }
    out += '\'';
  }
  return out;
}

std::string ConnInfo::display() const {
  std::string out = "postgres://";
  if (auto u = get("user")) out += *u + (get("password") ? ":****@" : "@");
  const auto eps = endpoints();
  for (std::size_t i = 0; i < eps.size(); ++i) {
    if (i) out += ',';
    const auto& e = eps[i];
    const bool v6 = e.host.find(':') != std::string::npos;
    out += v6 ? "[" + e.host + "]" : e.host;
    if (!e.unix_socket() && e.port != "5432") out += ":" + e.port;
  }
  out += "/" + get("dbname").value_or("");
  // Every other parameter but secrets: how the connection goes is worth seeing in a log.
  char sep = '?';
  for (const auto& [k, v] : params_) {
    if (k == "user" || k == "password" || k == "sslpassword" || k == "host" || k == "hostaddr" ||
        k == "port" || k == "dbname")
      continue;
    out += fmt::format("{}{}={}", sep, k, v);
    sep = '&';
  }
  return out;
}

std::vector<PgEndpoint> ConnInfo::endpoints() const {
  const std::string host_list = get("host").value_or(get("hostaddr").value_or(""));
  const std::string port_list = get("port").value_or("");
  const auto hosts = split(host_list, ',');
  const auto ports = split(port_list, ',');
  std::vector<PgEndpoint> out;
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    std::string port(ports.size() == 1 ? ports[0] : (i < ports.size() ? ports[i] : ""));
    out.push_back({std::string(hosts[i]), port.empty() ? "5432" : port});
  }
  return out;
}

std::string percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    const bool whole = i + 2 < text.size();
    const int hi = whole ? hex_value(text[i + 1]) : -1;
    const int lo = whole ? hex_value(text[i + 2]) : -1;
    if (hi < 0 || lo < 0) throw UsageError("invalid percent-encoded token (use %XX)");
    if (hi == 0 && lo == 0) throw UsageError("forbidden value %00 in a percent-encoded value");
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

bool looks_like_keyword_value(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && is_space(text[i])) ++i;
  const std::size_t start = i;
  while (i < text.size() && ((text[i] >= 'a' && text[i] <= 'z') ||
                             (text[i] >= 'A' && text[i] <= 'Z') || text[i] == '_'))
    ++i;
  if (i == start) return false;
  while (i < text.size() && is_space(text[i])) ++i;
  return i < text.size() && text[i] == '=';
}

ConnInfo parse_conninfo(std::string_view text) {
  // libpq takes C strings: a NUL (raw here, %00 is refused by percent_decode) would cut a
  // value short and change what it means.
  if (text.find('\0') != std::string_view::npos)
    throw UsageError("contains a NUL byte: a connection string is text");
  const std::string lower = ascii_lower(text.substr(0, 14));
  for (const std::string_view scheme : {"postgresql://", "postgres://"})
    if (lower.starts_with(scheme)) return parse_uri(text, scheme.size());
  if (looks_like_keyword_value(text)) return parse_keyword_value(text);
  throw UsageError(
      "not a PostgreSQL connection string: use postgres://USER@HOST/DB or "
      "'host=HOST dbname=DB user=USER'");
}

}  // namespace ballast
