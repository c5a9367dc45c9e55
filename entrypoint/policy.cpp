#include "entrypoint/policy.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <nlohmann/json.hpp>
#include <set>

#include "common/database_url.hpp"
#include "common/error.hpp"
#include "common/secret.hpp"
#include "common/text.hpp"

namespace ballast::entrypoint {
namespace {

using nlohmann::json;

// Lowercase letters and digits only: "Change-Me!" and "change_me" both become "changeme".
std::string normalized(std::string_view s) {
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c)) out.push_back(static_cast<char>(std::tolower(c)));
  }
  return out;
}

// Values that are defaults or placeholders in templates, tutorials and .env.example files.
constexpr std::array<std::string_view, 48> kKnownDefaults{
    "changeme",    "secret",     "password",    "passwd",     "test",       "testing",
    "example",     "default",    "admin",       "root",       "letmein",    "123456",
    "12345678",    "123456789",  "qwerty",      "abc123",     "foobar",     "foo",
    "bar",         "dev",        "development", "prod",       "production", "token",
    "apikey",      "key",        "secretkey",   "jwtsecret",  "mysecret",   "supersecret",
    "topsecret",   "yoursecret", "yourkey",     "yourapikey", "changethis", "replaceme",
    "placeholder", "dummy",      "insecure",    "none",       "null",       "undefined",
    "todo",        "fixme",      "xxx",         "postgres",   "pass",       "mysecretpassword"};

// Words that mark a placeholder wherever they stand in a value.
constexpr std::array<std::string_view, 13> kPlaceholderWords{
    "changeme", "changethis", "replaceme", "placeholder", "yoursecret", "yourkey", "yourapikey",
    "yourjwt",  "insecure",   "dummy",     "example",     "notasecret", "donotuse"};

// user:password pairs of images, tutorials and compose files, compared case-insensitively.
constexpr std::array<std::string_view, 26> kDefaultCredentials{"test:test",
                                                               "postgres:postgres",
                                                               "user:pass",
                                                               "user:password",
                                                               "root:root",
                                                               "admin:admin",
                                                               "postgres:password",
                                                               "app:app",
                                                               "admin:password",
                                                               "root:password",
                                                               "postgres:admin",
                                                               "postgres:root",
                                                               "postgres:secret",
                                                               "postgres:changeme",
                                                               "postgres:123456",
                                                               "postgres:pass",
                                                               "user:user",
                                                               "root:admin",
                                                               "sa:sa",
                                                               "guest:guest",
                                                               "demo:demo",
                                                               "dbuser:dbuser",
                                                               "dev:dev",
                                                               "docker:docker",
                                                               "postgres:mysecretpassword",
                                                               "odoo:odoo"};

[[noreturn]] void bad(std::string_view source, const std::string& path, const std::string& what) {
  throw ConfigError(
      fmt::format("invalid policy {}: {}: {}", shown(source), shown(path), shown(what, 1000)));
}

std::vector<std::string> string_list(const json& v, std::string_view source,
                                     const std::string& path) {
  std::vector<std::string> out;
  if (v.is_string()) {
    out.push_back(v.get<std::string>());
  } else if (v.is_array()) {
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (!v[i].is_string()) bad(source, fmt::format("{}[{}]", path, i), "expected a string");
      out.push_back(v[i].get<std::string>());
    }
  } else {
    bad(source, path, "expected a string or a list of strings");
  }
  if (out.empty()) bad(source, path, "expected at least one name");
  return out;
}

std::size_t count(const json& v, std::string_view source, const std::string& path) {
  if (!v.is_number_unsigned()) bad(source, path, "expected a whole number");
  return v.get<std::size_t>();
}

bool boolean(const json& v, std::string_view source, const std::string& path) {
  if (!v.is_boolean()) bad(source, path, "expected true or false");
  return v.get<bool>();
}

Rule parse_rule(const json& r, std::string_view source, const std::string& path) {
  if (!r.is_object()) bad(source, path, "expected an object");
  if (!r.contains("kind") || !r["kind"].is_string())
    bad(source, path + ".kind", "missing (required, secret, forbid, https or database_url)");
  Rule rule;
  const std::string kind = r["kind"].get<std::string>();
  std::set<std::string> allowed{"kind", "vars", "hint", "optional"};
  if (kind == "required") {
    rule.kind = RuleKind::kRequired;
    allowed.erase("optional");
  } else if (kind == "secret") {
    rule.kind = RuleKind::kSecret;
    allowed.insert({"min_length", "min_distinct"});
  } else if (kind == "forbid") {
    rule.kind = RuleKind::kForbid;
    allowed.insert("values");
    allowed.erase("optional");
  } else if (kind == "https") {
    rule.kind = RuleKind::kHttps;
  } else if (kind == "database_url") {
    rule.kind = RuleKind::kDatabaseUrl;
    allowed.insert({"allow_sqlite", "require_ssl"});
  } else {
    bad(source, path + ".kind",
        fmt::format("unknown kind '{}' (use required, secret, forbid, https or database_url)",
                    shown(kind)));
  }
  for (const auto& [key, value] : r.items()) {
    if (!allowed.count(key))
      bad(source, fmt::format("{}.{}", path, key),
          fmt::format("unknown key for kind '{}'", shown(kind)));
  }
  if (!r.contains("vars")) bad(source, path + ".vars", "missing: name the variable(s) to check");
  rule.vars = string_list(r["vars"], source, path + ".vars");
  if (r.contains("hint")) {
    if (!r["hint"].is_string()) bad(source, path + ".hint", "expected a string");
    rule.hint = r["hint"].get<std::string>();
  }
  if (r.contains("optional")) rule.optional = boolean(r["optional"], source, path + ".optional");
  if (r.contains("min_length"))
    rule.min_length = count(r["min_length"], source, path + ".min_length");
  if (r.contains("min_distinct"))
    rule.min_distinct = count(r["min_distinct"], source, path + ".min_distinct");
  if (r.contains("allow_sqlite"))
    rule.database.allow_sqlite = boolean(r["allow_sqlite"], source, path + ".allow_sqlite");
  if (r.contains("require_ssl"))
    rule.database.require_ssl = boolean(r["require_ssl"], source, path + ".require_ssl");
  if (rule.kind == RuleKind::kForbid) {
    if (!r.contains("values")) bad(source, path + ".values", "missing: list the refused values");
    rule.values = string_list(r["values"], source, path + ".values");
  }
  return rule;
}

std::string_view kind_name(RuleKind k) {
  switch (k) {
    case RuleKind::kRequired:
      return "required";
    case RuleKind::kSecret:
      return "secret";
    case RuleKind::kForbid:
      return "forbid";
    case RuleKind::kHttps:
      return "https";
    case RuleKind::kDatabaseUrl:
      return "database_url";
  }
  return "?";
}

}  // namespace

Policy parse_policy(std::string_view json_text, std::string_view source) {
  json doc;
  try {
    doc = json::parse(json_text);
  } catch (const json::exception& e) {  // parse_error, and out_of_range for 1e999
    throw ConfigError(fmt::format("invalid policy {}: not JSON: {}", source, shown(e.what())));
  }
  if (!doc.is_object()) bad(source, "(top)", "expected an object with \"rules\"");
  for (const auto& [key, value] : doc.items())
    if (key != "rules" && key != "$schema" && key != "description")
      bad(source, key, "unknown key (use rules)");
  if (!doc.contains("rules") || !doc["rules"].is_array())
    bad(source, "rules", "expected a list of rules");
  Policy p;
  for (std::size_t i = 0; i < doc["rules"].size(); ++i)
    p.rules.push_back(parse_rule(doc["rules"][i], source, fmt::format("rules[{}]", i)));
  return p;
}

std::optional<std::string> weak_secret_reason(std::string_view value, std::size_t min_length,
                                              std::size_t min_distinct) {
  if (value.empty()) return "empty";
  const std::string trimmed_lower = ascii_lower(value);
  if ((value.front() == '<' && value.back() == '>') || value.find("${") != std::string_view::npos ||
      value.find("{{") != std::string_view::npos || trimmed_lower.starts_with("your-") ||
      trimmed_lower.starts_with("your_"))
    return "a template placeholder";
  const std::string norm = normalized(value);
  if (std::find(kKnownDefaults.begin(), kKnownDefaults.end(), norm) != kKnownDefaults.end())
    return "a known default value";
  for (auto word : kPlaceholderWords)
    if (norm.find(word) != std::string::npos)
      return fmt::format("contains the placeholder word '{}'", word);
  if (std::all_of(value.begin(), value.end(), [&](char c) { return c == value[0]; }))
    return "one repeated character";
  if (value.size() < min_length)
    return fmt::format("too short: {} chars, needs at least {}", value.size(), min_length);
  const std::set<char> distinct(value.begin(), value.end());
  if (distinct.size() < min_distinct)
    return fmt::format("only {} distinct characters, needs at least {}", distinct.size(),
                       min_distinct);
  return std::nullopt;
}

namespace {

// What a database_url rule finds in `url`, reading it once: the URL as logs may show it (parsed
// and rebuilt without the password when it can be read) and why it is unfit, if it is.
struct DatabaseUrlVerdict {
  std::string shown;
  std::optional<std::string> problem;
};

std::optional<std::string> problem_of(const DatabaseTarget& target, const DatabaseUrlRule& rule,
                                      const Env& env) {
  if (target.backend == Backend::kSqlite) {
    if (!rule.allow_sqlite) return "SQLite is not allowed here: use PostgreSQL";
    return std::nullopt;
  }
  const ConnInfo& c = target.conn;
  const auto endpoints = c.endpoints();
  const bool local_only = std::all_of(endpoints.begin(), endpoints.end(), [](const PgEndpoint& e) {
    return e.host.empty() || e.unix_socket();
  });
  if (rule.require_ssl && !local_only) {
    std::string mode = c.get("sslmode").value_or(env.get("PGSSLMODE").value_or(""));
    if (mode.empty() && c.get("requiressl").value_or("") == "1") mode = "require";
    const std::string l = ascii_lower(mode);
    if (l != "require" && l != "verify-ca" && l != "verify-full")
      return fmt::format(
          "sslmode is {}: the connection may go unencrypted; add sslmode=verify-full (or "
          "require) to the URL or set PGSSLMODE",
          mode.empty() ? "not set ('prefer' by default)" : "'" + mode + "'");
  }
  const std::string user = c.get("user").value_or(env.get("PGUSER").value_or(""));
  std::optional<std::string> password = c.get("password");
  if (!password) password = env.get("PGPASSWORD");
  if (!password) {
    // No password here: fine when another source gives one, or the server trusts the socket.
    if (env.get("PGPASSFILE") || c.get("passfile") || c.get("sslcert") || c.get("service") ||
        env.get("PGSERVICE") || local_only)
      return std::nullopt;
    return fmt::format("user '{}' has no password (and no PGPASSWORD, PGPASSFILE or sslcert)",
                       shown(user));
  }
  if (password->empty()) return fmt::format("user '{}' has an empty password", shown(user));
  const std::string pair = ascii_lower(user) + ":" + ascii_lower(*password);
  if (std::find(kDefaultCredentials.begin(), kDefaultCredentials.end(), pair) !=
      kDefaultCredentials.end())
    return fmt::format("default credentials {}:****", user);
  if (ascii_lower(user) == ascii_lower(*password)) return "the password is the user name";
  if (auto weak = weak_secret_reason(*password, 0, 0))
    return fmt::format("weak password: {}", *weak);
  return std::nullopt;
}

DatabaseUrlVerdict judge_database_url(std::string_view url, const DatabaseUrlRule& rule,
                                      const Env& env) {
  DatabaseTarget target;
  try {
    target = parse_database_url(url, "the URL");
  } catch (const UsageError& e) {
    // Unreadable is unsafe: the rule cannot vouch for what it cannot read.
    return {secret::redact_url(url), fmt::format("cannot be read ({})", e.what())};
  }
  return {target.display, problem_of(target, rule, env)};
}

}  // namespace

std::optional<std::string> database_url_problem(std::string_view url, const DatabaseUrlRule& rule,
                                                const Env& env) {
  return judge_database_url(url, rule, env).problem;
}

std::vector<Finding> evaluate_policy(const Policy& policy, const Env& env) {
  std::vector<Finding> out;
  for (const auto& rule : policy.rules) {
    const std::string check(kind_name(rule.kind));
    for (const auto& var : rule.vars) {
      const auto value = env.get(var);
      const bool set = value && !value->empty();
      Finding f{true, check, var, ""};
      if (!set) {
        if (rule.kind == RuleKind::kForbid || rule.optional) {
          f.detail = "not set";
        } else {
          f.ok = false;
          f.detail = "not set";
        }
      } else {
        switch (rule.kind) {
          case RuleKind::kRequired:
            f.detail = "set";
            break;
          case RuleKind::kSecret: {
            const auto why = weak_secret_reason(*value, rule.min_length, rule.min_distinct);
            f.ok = !why;
            f.detail =
                why ? fmt::format("{}: {}", secret::mask(*value), *why) : secret::mask(*value);
            break;
          }
          case RuleKind::kForbid: {
            const std::string got = ascii_lower(*value);
            const bool hit =
                std::any_of(rule.values.begin(), rule.values.end(),
                            [&](const std::string& v) { return ascii_lower(v) == got; });
            f.ok = !hit;
            f.detail = hit ? fmt::format("'{}' is not allowed", shown(*value)) : "allowed value";
            break;
          }
          case RuleKind::kHttps:
            f.ok = ascii_lower(*value).starts_with("https://");
            f.detail =
                f.ok ? "uses https"
                     : fmt::format("'{}' does not use https://", shown(secret::redact_url(*value)));
            break;
          case RuleKind::kDatabaseUrl: {
            const auto [shown, why] = judge_database_url(*value, rule.database, env);
            f.ok = !why;
            f.detail = why ? fmt::format("{}: {}", shown, *why) : shown;
            break;
          }
        }
      }
      if (!f.ok && !rule.hint.empty()) f.detail += fmt::format(" ({})", rule.hint);
      out.push_back(std::move(f));
    }
  }
  return out;
}

}  // namespace ballast::entrypoint
