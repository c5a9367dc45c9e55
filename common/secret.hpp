#pragma once

#include <string>
#include <string_view>

// Secret masking: anything that may hold a secret is shown only as its length and, when long
// enough that two characters give little away, its first two characters.
namespace ballast::secret {

// "ab****** (32 chars)" for a value of 12 or more characters, "****** (5 chars)" below that,
// "(empty)" for "".
std::string mask(std::string_view value);

// Remembers `value` so that every later log line has it masked (values shorter than 4
// characters are not remembered: masking "a" everywhere would garble every line).
void register_value(std::string_view value);

// Forgets every registered value (the unit tests start each case with none).
void forget_all();

// Returns `text` with every registered value replaced by its mask().
std::string mask_known(std::string_view text);

// Returns a URL with the password of its userinfo and any password=/sslpassword= query value
// replaced by "****": "postgres://app:****@db/app". Text that is not a URL comes back as is.
std::string redact_url(std::string_view url);

}  // namespace ballast::secret
