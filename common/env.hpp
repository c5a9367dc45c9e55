#pragma once

#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ballast {

// A snapshot of the process environment, passed to everything that reads configuration so
// tests can hand in their own. Lookups of unset names give nullopt; set-but-empty gives "".
class Env {
 public:
  Env() = default;
  explicit Env(std::map<std::string, std::string, std::less<>> vars) : vars_(std::move(vars)) {}
  Env(std::initializer_list<std::pair<const std::string, std::string>> vars) : vars_(vars) {}

  // Snapshot of `environ`. Entries without '=' are ignored.
  static Env from_process();

  std::optional<std::string> get(std::string_view name) const;
  const std::map<std::string, std::string, std::less<>>& all() const { return vars_; }
  void set(std::string name, std::string value) { vars_[std::move(name)] = std::move(value); }
  void unset(std::string_view name);

  // "NAME=value" strings for execve; the vector owns them.
  std::vector<std::string> to_strings() const;

 private:
  std::map<std::string, std::string, std::less<>> vars_;
};

}  // namespace ballast
