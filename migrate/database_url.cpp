#include "migrate/database_url.hpp"

#include <fmt/format.h>

#include "common/error.hpp"
#include "common/secret.hpp"

namespace ballast::migrate {

DatabaseTarget parse_database_url(std::string_view url, std::string_view source) {
  if (url.starts_with("postgres://") || url.starts_with("postgresql://"))
    return {Backend::kPostgres, std::string(url)};
  std::string_view path;
  if (url.starts_with("sqlite://")) {
    path = url.substr(9);  // sqlite:///abs → "/abs", sqlite://rel → "rel"
  } else if (url.starts_with("sqlite:")) {
    path = url.substr(7);
  } else if (url.starts_with("file:")) {
    path = url.substr(5);
  }
  if (const auto q = path.find('?'); q != std::string_view::npos) path = path.substr(0, q);
  if (path.empty())
    throw UsageError(fmt::format("invalid {} '{}': use postgres://USER@HOST/DB or sqlite:PATH",
                                 source, secret::redact_url(url)));
  return {Backend::kSqlite, std::string(path)};
}

}  // namespace ballast::migrate
