#include "migrate/backup.hpp"

#include <dirent.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <memory>

#include "common/error.hpp"
#include "common/fd.hpp"
#include "common/log.hpp"

namespace ballast::migrate {
namespace {

// "app" for ./data/app.sqlite3: the database file's name without its extension.
std::string stem_of(const std::string& path) {
  std::string name = path.substr(path.find_last_of('/') + 1);
  if (const auto dot = name.rfind('.'); dot != std::string::npos && dot > 0) name.resize(dot);
  return name.empty() ? "database" : name;
}

// UTC time with milliseconds, in a form that sorts as text: 20261204T051502.123Z.
std::string timestamp() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%S", &tm);
  return fmt::format("{}.{:03}Z", buf, ms.count());
}

}  // namespace

std::vector<std::string> list_backups(const std::string& dir, const std::string& stem) {
  std::vector<std::string> out;
  std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(dir.c_str()), ::closedir);
  if (!d) return out;
  const std::string prefix = stem + "-";
  while (const dirent* e = ::readdir(d.get())) {
    const std::string name = e->d_name;
    if (name.starts_with(prefix) && name.ends_with(".sqlite3") &&
        (e->d_type == DT_REG || e->d_type == DT_UNKNOWN))
      out.push_back(fmt::format("{}/{}", dir, name));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string take_backup(const Config& config, Database& db,
                        const std::vector<AppliedRow>& history) {
  const std::string& dir = *config.backup_dir;
  if (config.target.backend != Backend::kSqlite) {
    db.backup_to(dir);  // says what to use instead
    return {};
  }
  // The version the copy holds: the application's highest applied one.
  std::string version = "none";
  for (const auto& r : history)
    if (r.module.empty() && r.state == "applied") version = r.version.text();
  try {
    make_directories(dir, 0700);  // the copies hold the application's data
  } catch (const std::system_error& e) {
    throw PermissionError(
        fmt::format("--backup {}: {}; nothing was applied (fix --backup)", dir, e.what()));
  }
  const std::string stem = stem_of(config.target.location);
  std::string path = fmt::format("{}/{}-{}-v{}.sqlite3", dir, stem, timestamp(), version);
  const auto started = std::chrono::steady_clock::now();
  db.backup_to(path);
  struct stat st {};
  ::stat(path.c_str(), &st);
  log::with({{"backup", path},
             {"version", version},
             {"bytes", st.st_size},
             {"duration_ms", std::chrono::steady_clock::now() - started}})
      .info("backed up {} (version {}, {} bytes) to {}", db.describe(), version, st.st_size, path);
  auto all = list_backups(dir, stem);
  while (all.size() > config.backup_keep) {
    if (::unlink(all.front().c_str()) == 0)
      log::info("removed the old backup {} (--backup-keep {})", all.front(), config.backup_keep);
    all.erase(all.begin());
  }
  return path;
}

}  // namespace ballast::migrate
