#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/mode.hpp"
#include "migrate/review_policy.hpp"

// Modules: plugins that carry their own migrations, pinned in modules.json.
namespace ballast::migrate {

struct Module {
  std::string id;
  std::string repository;
  std::optional<std::string> tag;
  std::optional<std::string> branch;
  std::optional<std::string> commit;  // 40 hex
  std::optional<std::string> digest;  // "sha256:<64 hex>"
  std::string migrations;             // as written, relative to the modules file's folder
  std::string migrations_dir;         // resolved, checked to stay inside that folder
  bool enabled = true;
  std::string json_path;  // "modules[2]" or "production.modules[0]", for messages
};

struct ModulesFile {
  std::string path;
  std::vector<Module> modules;
};

// Parses a modules file: {"modules": [...]} or the per-environment form {"development":
// {"modules": [...]}, "production": {"modules": [...]}} ("production" in prod, "staging" when
// present in staging, else "development"). Throws DataError with the JSON path for malformed
// JSON, unknown keys, a missing id, repository or migrations, duplicate ids, both branch and
// tag, a bad commit or digest. Does not touch the filesystem.
ModulesFile parse_modules(std::string_view json_text, const std::string& path, Mode mode);

// Resolves every module's migrations folder against the modules file's folder, refusing (with
// the JSON path) `..` escapes, absolute paths elsewhere, symlinks pointing out, and missing
// folders. Throws DataError.
void resolve_module_dirs(ModulesFile& file);

// The digest of a migrations folder, as anyone can recompute it with coreutils:
//   cd DIR && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum
// i.e. sha256 over the sha256sum lines ("<hex>  ./relative/path\n") of every regular file, in
// byte order of the paths. Returns "sha256:<hex>". Symlinks are refused (DataError).
std::string folder_digest(const std::string& dir);

struct PinOptions {
  bool prod = false;
  bool allow_prerelease = false;
  bool strict_pins = false;
};

// Pin problems of the enabled modules: a branch without a tag, a tag that is not
// vMAJOR.MINOR.PATCH (pre-releases only with allow_prerelease), a digest that does not match
// the folder, and with strict_pins a missing commit or digest. Blocking in prod, warnings
// elsewhere (a digest mismatch blocks everywhere).
std::vector<Problem> check_pins(const ModulesFile& file, const PinOptions& options);

// True for "vMAJOR.MINOR.PATCH"; with `prerelease`, also "v1.2.0-rc.1" style tags.
bool is_semver_tag(std::string_view tag, bool prerelease);

// Loads the modules file: `explicit_path` when given (missing is an error), else
// ./modules.json when present, else nullopt.
std::optional<ModulesFile> load_modules(const std::optional<std::string>& explicit_path, Mode mode);

// Writes `digest` into the module `id` of the file at `path` (keys keep their order).
void write_pin(const std::string& path, const std::string& id, const std::string& digest);

}  // namespace ballast::migrate
