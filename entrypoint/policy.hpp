#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/env.hpp"

// The production preflight: the seeds' checklists as rules over the environment.
namespace ballast::entrypoint {

enum class RuleKind { kRequired, kSecret, kForbid, kHttps, kDatabaseUrl };

// What a database_url rule accepts.
struct DatabaseUrlRule {
  bool allow_sqlite = true;  // SQLite URLs pass (the embedded default)
  bool require_ssl = false;  // PostgreSQL over the network needs sslmode require/verify-*
};

struct Rule {
  RuleKind kind = RuleKind::kRequired;
  std::vector<std::string> vars;
  bool optional = false;            // secret/https/database_url: skip when unset
  std::size_t min_length = 0;       // secret
  std::size_t min_distinct = 0;     // secret
  std::vector<std::string> values;  // forbid: refused values (case-insensitive)
  DatabaseUrlRule database;         // database_url
  std::string hint;                 // shown after a failure: what to do
};

struct Policy {
  std::vector<Rule> rules;
};

// One line of the startup report.
struct Finding {
  bool ok = false;
  std::string check;  // "secret", "required", ...
  std::string var;
  std::string detail;  // secrets appear only masked
};

// Parses a policy document (schema in docs/entrypoint.md). Throws ConfigError (78) with the
// JSON path of the problem ("rules[2].min_length: expected a number") for anything malformed
// or unknown: a typo must never switch a check off.
Policy parse_policy(std::string_view json_text, std::string_view source);

// Why `value` is too weak to be a secret, or nullopt when it passes: shorter than
// min_length, a known default or placeholder ("changeme", "<your-key>", "${JWT_SECRET}"),
// one repeated character, fewer than min_distinct distinct characters.
std::optional<std::string> weak_secret_reason(std::string_view value, std::size_t min_length,
                                              std::size_t min_distinct);

// Why a database URL is unfit for production, or nullopt. The URL is read by the one
// connection-string parser (common/database_url.hpp), so libpq's keyword/value form,
// percent-encoding and ?password= are seen as libpq sees them: default credentials
// (postgres:postgres, test:test, root:root, ...), an empty or weak password, the user name as
// password, no password source at all, SQLite when not allowed, a network connection without
// sslmode require/verify-ca/verify-full when require_ssl (from the URL, else PGSSLMODE), or
// a URL that cannot be read.
std::optional<std::string> database_url_problem(std::string_view url, const DatabaseUrlRule& rule,
                                                const Env& env);

// Evaluates every rule against `env`: one finding per rule and variable.
std::vector<Finding> evaluate_policy(const Policy& policy, const Env& env);

}  // namespace ballast::entrypoint
