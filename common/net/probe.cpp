#include "common/net/probe.hpp"

#include <fmt/format.h>

#include "common/conninfo.hpp"
#include "common/database_url.hpp"
#include "common/error.hpp"
#include "common/net/probe_file.hpp"
#include "common/net/probe_http.hpp"
#include "common/net/probe_postgres.hpp"
#include "common/net/probe_redis.hpp"
#include "common/net/probe_tcp.hpp"
#include "common/net/url.hpp"
#include "common/text.hpp"

namespace ballast::probe {

std::unique_ptr<Probe> make_probe(const Url& url, const Links& links) {
  if (url.scheme == "http" || url.scheme == "https") return make_http_probe(url, links.tls);
  if (url.scheme == "file") return make_file_probe(url);
  if (url.scheme == "redis" || url.scheme == "rediss") return make_redis_probe(url, links.tls);
  if (url.scheme == "grpc" || url.scheme == "grpcs") {
    if (links.grpc == nullptr)
      throw UsageError(
          fmt::format("{}: this binary does not speak HTTP/2 (entrypoint keeps it "
                      "out to stay small); probe it with healthcheck",
                      url.display()));
    return links.grpc(url, links.tls);
  }
  return make_connect_probe(url);
}

std::vector<std::string> targets_of(const cli::Args& args, std::string_view option, const Env& env,
                                    std::string_view variable) {
  if (!args.has(option)) return {};
  const auto value = env.get(variable);
  if (args.source(option) == variable && value && looks_like_keyword_value(trim(*value)))
    return {std::string(trim(*value))};
  return args.values(option);
}

std::unique_ptr<Probe> make_target_probe(std::string_view target, std::string_view bare_scheme,
                                         const Links& links) {
  const std::string_view t = trim(target);
  if (is_postgres_url(t)) {
    DatabaseTarget db = parse_database_url(t, "target");
    return make_postgres_probe(std::move(db.conn), links.tls, links.pg_auth);
  }
  return make_probe(parse_url(t, bare_scheme), links);
}

}  // namespace ballast::probe
