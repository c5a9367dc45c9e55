#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ballast::migrate {

// A "-- migrate:allow RULE_ID because REASON" comment in a migration file: the reviewer
// accepts that rule's risk for this file. Read from the whole file (a dbmate or goose file's
// header too), so the review hash covers it.
struct LintWaiver {
  std::string rule;
  std::string reason;  // empty when the comment gives none (it then allows nothing)
  std::size_t line = 0;
};

// Every waiver comment of `text`, in line order.
std::vector<LintWaiver> lint_waivers(std::string_view text);

}  // namespace ballast::migrate
