#pragma once

#include <string>
#include <string_view>

namespace ballast {

// ASCII lower-case copy of `s` (locale-independent: configuration words, not prose).
std::string ascii_lower(std::string_view s);

// ASCII upper-case copy of `s`.
std::string ascii_upper(std::string_view s);

}  // namespace ballast
