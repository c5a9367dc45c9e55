#include "migrate/modules.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>
#include <system_error>

#include "common/error.hpp"
#include "common/fd.hpp"
#include "common/file_system.hpp"
#include "common/text.hpp"
#include "migrate/sha256.hpp"

namespace ballast::migrate {
namespace {

using json = nlohmann::ordered_json;

[[noreturn]] void bad(const std::string& file, const std::string& path, const std::string& what) {
  throw DataError(fmt::format("{}: {}: {}", shown(file), shown(path), shown(what, 1000)));
}

bool all_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::optional<std::string> opt_string(const json& m, const char* key, const std::string& file,
                                      const std::string& at) {
  if (!m.contains(key)) return std::nullopt;
  if (!m[key].is_string() || m[key].get<std::string>().empty())
    bad(file, fmt::format("{}.{}", at, key), "expected a non-empty string");
  return m[key].get<std::string>();
}

Module parse_module(const json& m, const std::string& file, const std::string& at) {
  if (!m.is_object()) bad(file, at, "expected an object");
  static const std::set<std::string> kKeys{"id",     "repository", "tag",        "branch",
                                           "commit", "digest",     "migrations", "enabled"};
  for (const auto& [key, value] : m.items())
    if (!kKeys.count(key))
      bad(file, fmt::format("{}.{}", at, key),
          "unknown key (known: id, repository, tag, branch, commit, digest, migrations, enabled)");
  Module mod;
  mod.json_path = at;
  const auto need = [&](const char* key) {
    auto v = opt_string(m, key, file, at);
    if (!v) bad(file, fmt::format("{}.{}", at, key), "missing");
    return *v;
  };
  mod.id = need("id");
  mod.repository = need("repository");
  mod.migrations = need("migrations");
  mod.tag = opt_string(m, "tag", file, at);
  mod.branch = opt_string(m, "branch", file, at);
  mod.commit = opt_string(m, "commit", file, at);
  mod.digest = opt_string(m, "digest", file, at);
  if (m.contains("enabled")) {
    if (!m["enabled"].is_boolean()) bad(file, at + ".enabled", "expected true or false");
    mod.enabled = m["enabled"].get<bool>();
  }
  if (mod.tag && mod.branch)
    bad(file, at + ".tag", "both tag and branch: a module follows one or the other");
  if (!mod.tag && !mod.branch) bad(file, at, "neither tag nor branch: pin it with \"tag\"");
  if (mod.commit && (mod.commit->size() != 40 || !all_hex(*mod.commit)))
    bad(file, at + ".commit", "expected 40 lowercase hex characters");
  if (mod.digest && (!mod.digest->starts_with("sha256:") || mod.digest->size() != 71 ||
                     !all_hex(mod.digest->substr(7))))
    bad(file, at + ".digest",
        "expected sha256:<64 lowercase hex> (write it with: migrate pin " + mod.id + ")");
  return mod;
}

std::vector<Module> parse_list(const json& list, const std::string& file, const std::string& at) {
  if (!list.is_array()) bad(file, at, "expected a list of modules");
  std::vector<Module> out;
  std::set<std::string> ids;
  for (std::size_t i = 0; i < list.size(); ++i) {
    Module m = parse_module(list[i], file, fmt::format("{}[{}]", at, i));
    if (!ids.insert(m.id).second)
      bad(file, fmt::format("{}[{}].id", at, i), fmt::format("duplicate id '{}'", shown(m.id)));
    out.push_back(std::move(m));
  }
  return out;
}

std::string real_path(const std::string& p) {
  char buf[PATH_MAX];
  if (::realpath(p.c_str(), buf) == nullptr) return {};
  return buf;
}

void collect_files(const std::string& root, const std::string& rel, std::vector<std::string>& out) {
  const std::string dir = rel.empty() ? root : root + "/" + rel;
  for (const auto& n : list_directory(real_file_system(), dir)) {
    const std::string r = rel.empty() ? n : fmt::format("{}/{}", rel, n);
    const std::string full = fmt::format("{}/{}", root, r);
    struct stat st {};
    if (::lstat(full.c_str(), &st) != 0) throw errno_error("examine " + full);
    if (S_ISLNK(st.st_mode))
      throw DataError(
          fmt::format("{}/{} is a symlink: module folders must hold plain files", root, r));
    if (S_ISDIR(st.st_mode))
      collect_files(root, r, out);
    else if (S_ISREG(st.st_mode))
      out.push_back("./" + r);
  }
}

}  // namespace

bool is_semver_tag(std::string_view tag, bool prerelease) {
  if (!tag.starts_with("v")) return false;
  tag.remove_prefix(1);
  std::string_view core = tag;
  std::string_view pre;
  if (const auto dash = tag.find('-'); dash != std::string_view::npos) {
    core = tag.substr(0, dash);
    pre = tag.substr(dash + 1);
    if (!prerelease || pre.empty()) return false;
    if (!std::all_of(pre.begin(), pre.end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
        }))
      return false;
  }
  int parts = 0;
  std::size_t start = 0;
  while (start <= core.size()) {
    const auto dot = core.find('.', start);
    const auto part = core.substr(start, dot == std::string_view::npos ? core.npos : dot - start);
    if (part.empty() ||
        !std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
        (part.size() > 1 && part[0] == '0'))
      return false;
    ++parts;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return parts == 3;
}

ModulesFile parse_modules(std::string_view json_text, const std::string& path, Mode mode) {
  json doc;
  try {
    doc = json::parse(json_text);
  } catch (const json::exception& e) {  // parse_error, and out_of_range for 1e999
    throw DataError(fmt::format("{}: not valid JSON: {}", path, shown(e.what())));
  }
  if (!doc.is_object()) bad(path, "(top)", "expected an object");
  ModulesFile out;
  out.path = path;
  if (doc.contains("modules")) {
    for (const auto& [key, value] : doc.items())
      if (key != "modules" && key != "$schema")
        bad(path, key, "unknown key (use modules, or development/production sections)");
    out.modules = parse_list(doc["modules"], path, "modules");
    return out;
  }
  for (const auto& [key, value] : doc.items())
    if (key != "development" && key != "staging" && key != "production" && key != "test" &&
        key != "$schema")
      bad(path, key, "unknown key (use modules, or development/staging/production/test sections)");
  std::string section = "development";
  if (mode == Mode::kProd)
    section = "production";
  else if (mode == Mode::kStaging && doc.contains("staging"))
    section = "staging";
  else if (mode == Mode::kTest && doc.contains("test"))
    section = "test";
  if (!doc.contains(section)) bad(path, section, "missing: no modules for this mode");
  const json& s = doc[section];
  if (!s.is_object() || !s.contains("modules")) bad(path, section + ".modules", "missing");
  for (const auto& [key, value] : s.items())
    if (key != "modules") bad(path, fmt::format("{}.{}", section, key), "unknown key");
  out.modules = parse_list(s["modules"], path, section + ".modules");
  return out;
}

void resolve_module_dirs(ModulesFile& file) {
  const auto slash = file.path.rfind('/');
  const std::string base =
      real_path(slash == std::string::npos ? "." : file.path.substr(0, slash + 1));
  for (auto& m : file.modules) {
    const std::string joined =
        m.migrations.starts_with("/") ? m.migrations : base + "/" + m.migrations;
    const std::string real = real_path(joined);
    if (real.empty())
      bad(file.path, m.json_path + ".migrations", fmt::format("folder {} does not exist", joined));
    if (real != base && !real.starts_with(base + "/"))
      bad(file.path, m.json_path + ".migrations",
          fmt::format(
              "{} resolves to {}, outside {}: module folders must stay beside the modules file",
              m.migrations, real, base));
    struct stat st {};
    if (::stat(real.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
      bad(file.path, m.json_path + ".migrations", fmt::format("{} is not a folder", joined));
    m.migrations_dir = real;
  }
}

std::string folder_digest(const std::string& dir) {
  std::vector<std::string> files;
  collect_files(dir, "", files);
  std::sort(files.begin(), files.end());  // byte order, as LC_ALL=C sort
  std::string listing;
  for (const auto& f : files)
    listing += fmt::format("{}  {}\n", sha256_hex(read_file(dir + "/" + f.substr(2))), f);
  return "sha256:" + sha256_hex(listing);
}

std::vector<Problem> check_pins(const ModulesFile& file, const PinOptions& o) {
  std::vector<Problem> out;
  for (const auto& m : file.modules) {
    if (!m.enabled) continue;
    const std::string who = fmt::format("module {} ({})", m.id, m.json_path);
    if (m.branch)
      out.push_back(
          {who,
           fmt::format(
               "follows branch '{}': pin it to a release tag (\"tag\": \"vX.Y.Z\") for production",
               shown(*m.branch)),
           o.prod, "module-pin"});
    if (m.tag && !is_semver_tag(*m.tag, o.allow_prerelease))
      out.push_back(
          {who,
           is_semver_tag(*m.tag, true)
               ? fmt::format("tag '{}' is a pre-release (pass --allow-prerelease to accept it)",
                             shown(*m.tag))
               : fmt::format("tag '{}' is not vMAJOR.MINOR.PATCH: pin a release tag",
                             shown(*m.tag)),
           o.prod, "module-pin"});
    if (m.digest && !m.migrations_dir.empty()) {
      const std::string actual = folder_digest(m.migrations_dir);
      if (actual != *m.digest)
        out.push_back(
            {who,
             fmt::format(
                 "digest mismatch: modules file says {}..., the folder is {}... — its content "
                 "changed since it was pinned (a moved tag?); review it, then: migrate pin {}",
                 m.digest->substr(0, 19), actual.substr(0, 19), m.id),
             true, "module-pin"});
    }
    if (o.strict_pins && (!m.commit || !m.digest))
      out.push_back({who, fmt::format("--strict-pins: {} missing", !m.commit ? "commit" : "digest"),
                     o.prod, "module-pin"});
  }
  return out;
}

std::optional<ModulesFile> load_modules(const std::optional<std::string>& explicit_path,
                                        Mode mode) {
  std::string path = explicit_path.value_or("modules.json");
  struct stat st {};
  if (!explicit_path && ::stat(path.c_str(), &st) != 0 && errno == ENOENT) return std::nullopt;
  std::string text;
  try {
    text = read_file(path);
  } catch (const std::system_error& e) {
    if (!explicit_path && e.code() == std::errc::no_such_file_or_directory) return std::nullopt;
    throw DataError(fmt::format("{}: {}", path, e.what()));
  }
  ModulesFile f = parse_modules(text, path, mode);
  resolve_module_dirs(f);
  return f;
}

void write_pin(const std::string& path, const std::string& id, const std::string& digest) {
  json doc = json::parse(read_file(path));
  bool found = false;
  const auto pin_in = [&](json& list) {
    if (!list.is_array()) return;
    for (auto& m : list)
      if (m.is_object() && m.value("id", "") == id) {
        m["digest"] = digest;
        found = true;
      }
  };
  if (doc.contains("modules")) pin_in(doc["modules"]);
  for (const char* section : {"development", "staging", "production", "test"})
    if (doc.contains(section) && doc[section].contains("modules")) pin_in(doc[section]["modules"]);
  if (!found) throw UsageError(fmt::format("no module '{}' in {}", shown(id), path));
  write_file_atomic(path, doc.dump(2) + "\n");
}

}  // namespace ballast::migrate
