#include "common/parse.hpp"

namespace ballast {

std::vector<std::string_view> split(std::string_view text, char sep, bool drop_empty) {
  std::vector<std::string_view> out;
  for (;;) {
    const auto pos = text.find(sep);
    const auto part = text.substr(0, pos);
    if (!(drop_empty && part.empty())) out.push_back(part);
    if (pos == std::string_view::npos) return out;
    text.remove_prefix(pos + 1);
  }
}

bool contains_word(std::string_view words, std::string_view word) {
  for (const auto w : split(words, ' ', true))
    if (w == word) return true;
  return false;
}

std::optional<std::pair<std::string_view, std::string_view>> split_once(std::string_view text,
                                                                        char sep) {
  const auto pos = text.find(sep);
  if (pos == std::string_view::npos) return std::nullopt;
  return std::pair{text.substr(0, pos), text.substr(pos + 1)};
}

}  // namespace ballast
