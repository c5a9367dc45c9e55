#include "migrate/status.hpp"

#include <catch2/catch.hpp>

using namespace ballast::migrate;

namespace {

Migration file(std::uint64_t v, std::string sha) {
  Migration m;
  m.version = Version::of(v);
  m.name = "m" + std::to_string(v);
  m.file_name = std::to_string(v) + "_m.sql";
  m.sql = "SELECT 1;";
  m.sha256 = std::move(sha);
  return m;
}

AppliedRow row(std::uint64_t v, std::string sha, std::string state = "applied",
               std::string module = "") {
  AppliedRow r;
  r.module = std::move(module);
  r.version = Version::of(v);
  r.name = "m" + std::to_string(v);
  r.sha256 = std::move(sha);
  r.applied_at = "2026-01-01T00:00:00Z";
  r.state = std::move(state);
  return r;
}

}  // namespace

TEST_CASE("compute_status: applied, pending, changed, failed and missing", "[migrate][status]") {
  const std::vector<Migration> files{file(1, "a"), file(2, "b"), file(3, "c"), file(5, "e")};
  const std::vector<AppliedRow> history{row(1, "a"), row(2, "CHANGED"), row(3, "c", "failed"),
                                        row(4, "d")};
  const auto rows = compute_status(files, history, "");
  REQUIRE(rows.size() == 5);
  CHECK(rows[0].state == State::kApplied);
  CHECK(rows[1].state == State::kChanged);
  CHECK(rows[2].state == State::kFailed);
  CHECK(rows[3].version == Version::of(4));
  CHECK(rows[3].state == State::kMissing);
  CHECK(rows[3].file == nullptr);
  CHECK(rows[4].state == State::kPending);
  CHECK(rows[4].applied_at.empty());
}

TEST_CASE("compute_status: another module's history does not count", "[migrate][status]") {
  const std::vector<Migration> files{file(1, "a")};
  const std::vector<AppliedRow> history{row(1, "a", "applied", "billing")};
  const auto rows = compute_status(files, history, "");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].state == State::kPending);
}

TEST_CASE("compute_status: rows a newer release applied are ahead, and ready",
          "[migrate][status]") {
  // The old image knows 1 and 2; the new release applied 3 and 4 during a rolling update.
  const std::vector<Migration> files{file(1, "a"), file(2, "b")};
  const std::vector<AppliedRow> history{row(1, "a"), row(2, "b"), row(3, "c"), row(4, "d")};
  const auto rows = compute_status(files, history, "");
  REQUIRE(rows.size() == 4);
  CHECK(rows[2].state == State::kAhead);
  CHECK(rows[3].state == State::kAhead);
  for (const auto& r : rows) CHECK(is_ready(r.state));
  CHECK_FALSE(is_ready(State::kPending));
  CHECK_FALSE(is_ready(State::kFailed));
  CHECK_FALSE(is_ready(State::kChanged));
}
