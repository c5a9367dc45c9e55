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
  // One pass over the characters (a folder of a thousand files parses a thousand versions, and
  // find_first_of would call memchr per character).
  Version v;
  std::string& out = v.text_;
  out.clear();
  out.reserve(text.size());
  std::size_t kept = 0;  // out's length up to its last non-zero part (1.0 is 1)
  std::size_t i = 0;
  for (bool first = true;; first = false) {
    std::size_t end = i;
    while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
    if (end == i) return std::nullopt;  // an empty part, or one not starting with a digit
    if (end < text.size() && text[end] != '.' && text[end] != '_') return std::nullopt;
    std::size_t digits = i;
    while (end - digits > 1 && text[digits] == '0') ++digits;  // leading zeros carry no order
    if (!first) out += '.';
    out.append(text.data() + digits, end - digits);
    if (first || end - digits > 1 || text[digits] != '0') kept = out.size();
    if (end == text.size()) break;
    i = end + 1;
  }
  // 1.0 is 1 (Flyway): trailing zero parts carry no order.
  out.resize(kept);
  v.dotted_ = out.find('.') != std::string::npos;
  return v;
}

Version Version::of(unsigned long long number) { return *parse(std::to_string(number)); }

Version Version::repeatable(std::string_view name) {
  Version v;
  v.repeatable_ = true;
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
  if (repeatable_ || (!dotted_ && !other.dotted_)) {
    if (repeatable_) return text_.compare(other.text_) <=> 0;
    return compare_digits(text_, other.text_);
  }
  // Part by part; a missing part counts as 0.
  std::string_view a = text_;
  std::string_view b = other.text_;
  while (!a.empty() || !b.empty()) {
    const auto next = [](std::string_view& rest) {
      if (rest.empty()) return std::string_view("0");
      const auto dot = rest.find('.');
      const std::string_view part = rest.substr(0, dot);
      rest = dot == std::string_view::npos ? std::string_view() : rest.substr(dot + 1);
      return part;
    };
    const std::string_view pa = next(a);
    const std::string_view pb = next(b);
    if (const auto c = compare_digits(pa, pb); std::is_neq(c)) return c;
  }
  return std::strong_ordering::equal;
}

}  // namespace ballast::migrate
