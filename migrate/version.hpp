#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace ballast::migrate {

// A migration's version, as other tools spell it: a number of any length ("0001",
// "20150100000001000000": timestamps with extra digits do not fit 64 bits), Flyway's dotted or
// underscored parts ("1.10", "1_10", "2_1_3"), or no version at all for a repeatable migration
// (Flyway's R__name.sql), which sorts after every versioned one, by name.
//
// Versions compare as Flyway compares them: part by part, each part as a whole number of any
// length, missing parts counting as 0, so 1.9 < 1.10 and 1 == 1.0 == 01. The canonical text
// (what the history table stores) drops leading zeros and trailing ".0" parts: "1", "1.10".
class Version {
 public:
  Version() = default;

  // A version from its digits and separators ("0001", "1.10", "1_10"); nullopt for anything
  // else (empty parts, signs, letters).
  static std::optional<Version> parse(std::string_view text);
  // The version of a whole number (tests, and golang-migrate's integer history).
  static Version of(unsigned long long number);
  // A repeatable migration, named by its description ("refresh_views").
  static Version repeatable(std::string_view name);
  // The version a history row stores as `text()`: parse(), or a repeatable's "R__name".
  static std::optional<Version> from_history(std::string_view text);

  bool is_repeatable() const { return repeatable_; }
  // True when the version is one whole number (no parts): the common case, and the only one
  // golang-migrate, dbmate and goose know.
  bool is_number() const { return !repeatable_ && !dotted_; }
  // The canonical text: "1", "1.10", "20150100000001000000", or "R__name" for a repeatable.
  const std::string& text() const { return text_; }

  std::strong_ordering operator<=>(const Version& other) const;
  bool operator==(const Version& other) const { return (*this <=> other) == 0; }

 private:
  // The canonical text is all a version holds (one string to copy): its parts are read from it
  // when comparing.
  bool repeatable_ = false;
  bool dotted_ = false;
  std::string text_ = "0";
};

}  // namespace ballast::migrate
