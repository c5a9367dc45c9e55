#include "migrate/version.hpp"

#include <algorithm>

namespace ballast::migrate {
namespace {

// Two whole numbers written without leading zeros compare by length, then digit by digit: no
// width limit, no overflow.
std::strong_ordering compare_digits(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return a.size() <=> b.size();
  const int c = a.compare(b);
  return c < 0   ? std::strong_ordering::less
         : c > 0 ? std::strong_ordering::greater
                 : std::strong_ordering::equal;
}

}  // namespace

std::optional<Version> Version::parse(std::string_view text) {
  Version v;
  v.parts_.clear();
  std::size_t start = 0;
  for (;;) {
    const auto sep = text.find_first_of("._", start);
    std::string_view part =
        text.substr(start, sep == std::string_view::npos ? std::string_view::npos : sep - start);
    if (part.empty() ||
        !std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return std::nullopt;
    while (part.size() > 1 && part.front() == '0') part.remove_prefix(1);
    v.parts_.emplace_back(part);
    if (sep == std::string_view::npos) break;
    start = sep + 1;
  }
  // 1.0 is 1 (Flyway): trailing zero parts carry no order.
  while (v.parts_.size() > 1 && v.parts_.back() == "0") v.parts_.pop_back();
  v.text_.clear();
  for (const auto& p : v.parts_) {
    if (!v.text_.empty()) v.text_ += '.';
    v.text_ += p;
  }
  return v;
}

Version Version::of(unsigned long long number) { return *parse(std::to_string(number)); }

Version Version::repeatable(std::string_view name) {
  Version v;
  v.repeatable_ = true;
  v.parts_.clear();
  v.text_ = "R__" + std::string(name);
  return v;
}

std::optional<Version> Version::from_history(std::string_view text) {
  if (text.starts_with("R__") && text.size() > 3) return repeatable(text.substr(3));
  return parse(text);
}

std::strong_ordering Version::operator<=>(const Version& other) const {
  if (repeatable_ != other.repeatable_)
    return repeatable_ ? std::strong_ordering::greater : std::strong_ordering::less;
  if (repeatable_) return text_.compare(other.text_) <=> 0;
  const std::size_t n = std::max(parts_.size(), other.parts_.size());
  for (std::size_t i = 0; i < n; ++i) {
    const std::string_view a = i < parts_.size() ? std::string_view(parts_[i]) : "0";
    const std::string_view b = i < other.parts_.size() ? std::string_view(other.parts_[i]) : "0";
    if (const auto c = compare_digits(a, b); c != 0) return c;
  }
  return std::strong_ordering::equal;
}

}  // namespace ballast::migrate
