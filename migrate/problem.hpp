#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ballast::migrate {

// One thing wrong with a migration. `blocking` problems refuse apply (and mark the row
// "refused" in status); the others are warnings. `rule` is a stable id for machines
// (verify --json, plan --json, CI annotations):
//   file-name, duplicate-version, not-a-file, file-format, generated, not-reviewed,
//   changed-since-review, reviewed-but-missing, failed, changed-after-apply, out-of-order,
//   syntax, module-pin
struct Problem {
  std::string file;
  std::string reason;
  bool blocking = true;
  std::string rule = {};
  std::size_t line = 0;  // 1-based line in `file`; 0 when the problem is about the whole file
};

// {"file","line" (null when 0),"rule","severity" ("error" when blocking, else "warning"),
// "message"}: the shape verify --json, plan --json and status --json share.
nlohmann::ordered_json to_json(const Problem& p);
nlohmann::ordered_json to_json(const std::vector<Problem>& problems);

}  // namespace ballast::migrate
