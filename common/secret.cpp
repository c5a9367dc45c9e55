#include "common/secret.hpp"

#include "common/text.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace ballast::secret {
namespace {

std::vector<std::string>& registry() {
  static std::vector<std::string> values;
  return values;
}

}  // namespace

std::string mask(std::string_view value) {
  if (value.empty()) return "(empty)";
  const std::string length = " (" + std::to_string(value.size()) + " chars)";
  if (value.size() < 12) return "******" + length;
  return std::string(value.substr(0, 2)) + "******" + length;
}

void forget_all() { registry().clear(); }

void register_value(std::string_view value) {
  if (value.size() < 4) return;
  auto& values = registry();
  if (std::find(values.begin(), values.end(), value) != values.end()) return;
  values.emplace_back(value);
  // Longest first, so a secret that contains another is masked whole.
  std::sort(values.begin(), values.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

std::string mask_known(std::string_view text) {
  std::string out(text);
  for (const auto& value : registry()) {
    const std::string masked = mask(value);
    for (auto pos = out.find(value); pos != std::string::npos;
         pos = out.find(value, pos + masked.size())) {
      out.replace(pos, value.size(), masked);
    }
  }
  return out;
}

std::string redact_url(std::string_view url) {
  std::string out(url);
  const auto scheme_end = out.find("://");
  if (scheme_end != std::string::npos) {
    const auto authority = scheme_end + 3;
    const auto authority_end = out.find_first_of("/?#", authority);
    const auto at = out.rfind('@', authority_end == std::string::npos ? out.size() : authority_end);
    if (at != std::string::npos && at > authority) {
      const auto colon = out.find(':', authority);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "****");
    }
  }
  for (const std::string_view key : {"password=", "sslpassword="}) {
    for (auto pos = out.find(key); pos != std::string::npos; pos = out.find(key, pos + 1)) {
      if (pos != 0 && out[pos - 1] != '?' && out[pos - 1] != '&' && out[pos - 1] != ' ') continue;
      const auto start = pos + key.size();
      const auto end = out.find_first_of("& ", start);
      out.replace(start, (end == std::string::npos ? out.size() : end) - start, "****");
    }
  }
  return out;
}

}  // namespace ballast::secret
