#include "common/file_secrets.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <system_error>

#include "common/error.hpp"
#include "common/fd.hpp"
#include "common/secret.hpp"
#include "common/text.hpp"

namespace ballast {

// Converting these would break the program that reads them: AWS_WEB_IDENTITY_TOKEN_FILE and
// AZURE_FEDERATED_TOKEN_FILE are injected into Kubernetes pods and rotate on disk, and OpenSSL
// reads SSL_CERT_FILE itself.
const std::vector<std::string_view> kNotSecretFileVars{"AWS_WEB_IDENTITY_TOKEN_FILE",
                                                       "AZURE_FEDERATED_TOKEN_FILE",
                                                       "AWS_SHARED_CREDENTIALS_FILE",
                                                       "AWS_CONFIG_FILE",
                                                       "GOOGLE_GHA_CREDS_FILE",
                                                       "SSL_CERT_FILE",
                                                       "CURL_CA_BUNDLE_FILE",
                                                       "TF_CLI_CONFIG_FILE",
                                                       "PIP_CONFIG_FILE",
                                                       "COMPOSE_FILE",
                                                       "LOG_FILE",
                                                       "PID_FILE",
                                                       "ENV_FILE",
                                                       "CONFIG_FILE",
                                                       "HISTFILE",
                                                       "MYSQL_HISTFILE",
                                                       "PYTHONSTARTUP_FILE",
                                                       "KRB5_CONFIG_FILE"};

// Certificate bundles and configuration files, whatever the prefix (NIX_SSL_CERT_FILE,
// CLOUDSDK_CORE_CUSTOM_CA_CERTS_FILE, ...).
const std::vector<std::string_view> kNotSecretFileSuffixes{"_CERT_FILE", "_CERTS_FILE", "_CA_FILE",
                                                           "_CONFIG_FILE", "_CONF_FILE"};

namespace {
constexpr std::string_view kFileSuffix = "_FILE";
}  // namespace

bool is_secret_file_var(std::string_view var) {
  // NAME_FILE_FILE would load a secret into NAME_FILE, a name that then reads as a path.
  if (var.ends_with("_FILE_FILE")) return false;
  if (std::find(kNotSecretFileVars.begin(), kNotSecretFileVars.end(), var) !=
      kNotSecretFileVars.end())
    return false;
  return std::none_of(kNotSecretFileSuffixes.begin(), kNotSecretFileSuffixes.end(),
                      [&](std::string_view suffix) { return var.ends_with(suffix); });
}

std::string read_secret_file(const std::string& path) {
  return read_file(path, std::size_t{1024} * 1024);
}

std::optional<std::string> load_file_secret(Env& env, const std::string& var,
                                            const FileReader& read) {
  const auto path = env.get(var);
  if (!path) return std::nullopt;
  const std::string name = var.substr(0, var.size() - std::min(var.size(), kFileSuffix.size()));
  if (env.get(name))
    throw ConfigError(
        fmt::format("both {} and {} are set: set only one of them", shown(name), shown(var)));
  if (path->empty())
    throw ConfigError(
        fmt::format("{} is empty: set it to the path of the secret file", shown(var)));
  std::string value;
  try {
    value = read(*path);
    if (value.size() > kMaxSecretBytes)
      throw ConfigError(
          fmt::format("{}: {} is {} bytes, more than a secret's {}: if it is not a secret, "
                      "pass --file-secret-skip {}",
                      shown(var), shown(*path), value.size(), kMaxSecretBytes, shown(var)));
  } catch (const std::system_error& e) {
    throw ConfigError(fmt::format("{}: {} (mount the secret there, or unset {})", shown(var),
                                  shown(e.what()), shown(var)));
  }
  if (value.ends_with("\r\n")) {
    value.resize(value.size() - 2);
  } else if (value.ends_with("\n")) {
    value.pop_back();
  }
  // An empty secret is never what was meant (a file created but never filled, a failed
  // template): refused like a missing one, never loaded as NAME="".
  if (value.empty())
    throw ConfigError(fmt::format("{}: {} is empty: write the secret into it, or unset {}",
                                  shown(var), shown(*path), shown(var)));
  secret::register_value(value);
  env.set(name, std::move(value));
  env.unset(var);
  return name;
}

std::vector<std::string> load_file_secrets(Env& env, const FileReader& read,
                                           const std::vector<std::string>& skip) {
  std::vector<std::string> found;  // collected first: loading changes env
  for (const auto& [var, value] : env.all()) {
    if (var.size() <= kFileSuffix.size() || !var.ends_with(kFileSuffix)) continue;
    if (std::find(skip.begin(), skip.end(), var) != skip.end()) continue;
    if (!is_secret_file_var(var)) continue;
    found.push_back(var);
  }
  std::vector<std::string> loaded;
  loaded.reserve(found.size());
  for (const auto& var : found) loaded.push_back(*load_file_secret(env, var, read));
  return loaded;
}

}  // namespace ballast
