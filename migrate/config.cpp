#include "migrate/config.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>

#include "common/duration.hpp"
#include "common/error.hpp"
#include "common/log.hpp"
#include "common/secret.hpp"

namespace ballast::migrate {
namespace {

bool is_identifier(std::string_view s) {
  if (s.empty() || s.size() > 63 || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

std::string host_name() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "unknown-host";
  return buf;
}

}  // namespace

Config resolve_config(const cli::Args& args, const Env& env, bool need_database) {
  Config c;
  c.mode = resolve_mode(args.value("mode"), env);
  if (auto url = args.value("database")) {
    c.target = parse_database_url(*url, args.source("database"));
    c.url_given = true;
    if (auto pw = c.target.conn.get("password")) secret::register_value(*pw);
    for (const auto& note : c.target.conn.notes) log::info("{}: {}", args.source("database"), note);
  } else if (c.mode.mode == Mode::kProd && need_database) {
    throw ConfigError(fmt::format(
        "no database given in prod mode (mode from {}): set DATABASE_URL or pass --database; "
        "the embedded SQLite default is for development only",
        c.mode.source));
  } else {
    c.target = parse_database_url(fmt::format("sqlite:{}", kEmbeddedDefault), "the default");
    c.embedded_default = true;
  }
  if (auto v = args.value("dir")) {
    // golang-migrate's -source names the folder as a URL: file://migrations.
    c.dir = v->starts_with("file://") ? v->substr(7) : *v;
    if (c.dir.empty()) c.dir = ".";
  }
  if (auto v = args.value("table")) {
    const auto dot = v->find('.');
    const bool ok = dot == std::string::npos
                        ? is_identifier(*v)
                        : is_identifier(std::string_view(*v).substr(0, dot)) &&
                              is_identifier(std::string_view(*v).substr(dot + 1));
    if (!ok || (dot != std::string::npos && c.target.backend == Backend::kSqlite))
      throw UsageError(
          fmt::format("invalid {} '{}': use letters, digits and _ (PostgreSQL also SCHEMA.TABLE)",
                      args.source("table"), *v));
    c.history.table = *v;
  }
  if (auto v = args.value("wait-timeout"))
    c.wait_timeout = parse_duration(*v, args.source("wait-timeout"));
  else if (args.flag("wait-for-database"))
    c.wait_timeout = std::chrono::minutes(1);  // dbmate's --wait: one minute unless told
  if (auto v = args.value("lock-timeout"))
    c.lock_timeout = parse_duration(*v, args.source("lock-timeout"));
  c.allow_changed = args.flag("allow-changed");
  c.allow_out_of_order = args.flag("allow-out-of-order");
  c.single_transaction = args.flag("single-transaction");
  c.modules_path = args.value("modules");
  c.only_module = args.value("module");
  c.allow_prerelease = args.flag("allow-prerelease");
  c.strict_pins = args.flag("strict-pins");
  c.history.applied_by = fmt::format("{} (ballast {})", host_name(), BALLAST_VERSION);
  return c;
}

}  // namespace ballast::migrate
