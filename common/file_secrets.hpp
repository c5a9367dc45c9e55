#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/env.hpp"

namespace ballast {

// Reads a secret file; throws std::system_error when it cannot.
using FileReader = std::function<std::string(const std::string& path)>;

// The FileReader both binaries use: the whole file, up to 1 MiB (enough to say by how much a
// file exceeds kMaxSecretBytes without reading a huge one whole).
std::string read_secret_file(const std::string& path);

// Variables ending in _FILE that name a file a program reads itself (a CA bundle, a rotating
// cloud identity token, a config file), never a secret to inline: always left alone.
extern const std::vector<std::string_view> kNotSecretFileVars;
// Suffixes of such variables: certificate bundles and configuration files.
extern const std::vector<std::string_view> kNotSecretFileSuffixes;

// A secret file larger than this is refused: it is almost surely not a secret.
inline constexpr std::size_t kMaxSecretBytes = 64 * 1024;

// True when NAME_FILE is one to load: ends in _FILE, is not NAME-less, and is neither in
// kNotSecretFileVars nor ends in one of kNotSecretFileSuffixes.
bool is_secret_file_var(std::string_view var);

// Loads one NAME_FILE variable (`var`) of `env` the way load_file_secrets does, whatever its
// name, and returns NAME. Returns nothing, changing nothing, when `var` is unset. migrate uses
// it for DATABASE_URL_FILE alone, so a probe or Job run without entrypoint finds its database.
std::optional<std::string> load_file_secret(Env& env, const std::string& var,
                                            const FileReader& read = read_secret_file);

// For every NAME_FILE in `env` with is_secret_file_var(NAME_FILE) and not in `skip`: reads the file
// into NAME, strips one trailing newline ("\n" or "\r\n"), removes NAME_FILE, and registers the
// value for masking in logs. Returns the names loaded. Throws ConfigError (78) naming the
// variable when NAME and NAME_FILE are both set or the file cannot be read: never a silent
// empty secret. A file larger than kMaxSecretBytes is refused the same way.
std::vector<std::string> load_file_secrets(Env& env, const FileReader& read = read_secret_file,
                                           const std::vector<std::string>& skip = {});

}  // namespace ballast
