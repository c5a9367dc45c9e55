// The command logic of migrate against a recording fake database: what runs, in what order,
// and what is never written when a command refuses. The engines themselves are it.* tests.
#include "migrate/commands.hpp"

#include <unistd.h>
#include <catch2/catch.hpp>
#include <fstream>

#include <filesystem>

#include "common/error.hpp"
#include "fakes/fake_database.hpp"
#include "migrate/sha256.hpp"
#include "support/temp_dir.hpp"

using namespace ballast;
using namespace ballast::migrate;
using ballast::testing::FakeDatabase;

namespace {

// A migrations folder in a fresh temporary directory, removed afterwards.
class Folder {
 public:
  Folder() { std::filesystem::create_directories(dir()); }

  std::string dir() const { return root_.path() + "/migrations"; }
  void write(const std::string& name, const std::string& sql, bool reviewed = true) {
    std::ofstream(dir() + "/" + name) << sql;
    if (reviewed)
      std::ofstream(dir() + "/reviewed.sum", std::ios::app)
          << sha256_hex(sql) << "  " << name << "\n";
  }

 private:
  ballast::testing::TempDir root_;
};

Config config_for(const Folder& f, Mode mode = Mode::kProd) {
  Config c;
  c.dir = f.dir();
  c.mode = {mode, "test"};
  c.modules_path = std::nullopt;
  return c;
}

bool called(const FakeDatabase::Store& s, const std::string& call) {
  return std::find(s.calls.begin(), s.calls.end(), call) != s.calls.end();
}

}  // namespace

TEST_CASE("apply: pending files in version order, under the lock, released at the end",
          "[migrate][commands]") {
  Folder f;
  f.write("0002_b.sql", "CREATE TABLE b (x int);");
  f.write("0001_a.sql", "CREATE TABLE a (x int);");
  auto store = std::make_shared<FakeDatabase::Store>();
  CHECK(apply_command(config_for(f), FakeDatabase::opener(store)) == 0);
  CHECK(store->calls == std::vector<std::string>{"open rw", "lock", "ensure_history",
                                                 "apply 0001_a.sql", "apply 0002_b.sql", "unlock"});
  store->calls.clear();
  CHECK(apply_command(config_for(f), FakeDatabase::opener(store)) == 0);
  CHECK_FALSE(called(*store, "apply 0001_a.sql"));  // nothing twice
}

TEST_CASE("apply: a prod refusal writes nothing, not even the history table",
          "[migrate][commands]") {
  Folder f;
  f.write("0001_a.sql", "CREATE TABLE a (x int);");
  f.write("0002_b.sql", "CREATE TABLE b (x int);", false);  // not reviewed
  auto store = std::make_shared<FakeDatabase::Store>();
  CHECK_THROWS_AS(apply_command(config_for(f), FakeDatabase::opener(store)), DataError);
  CHECK_FALSE(called(*store, "ensure_history"));
  CHECK(store->rows.empty());
  // Outside prod the same file is a warning and applies.
  CHECK(apply_command(config_for(f, Mode::kDev), FakeDatabase::opener(store)) == 0);
  CHECK(store->rows.size() == 2);
}

TEST_CASE("apply: a failing file stops the run; earlier files stay, later ones never run",
          "[migrate][commands]") {
  Folder f;
  f.write("0001_a.sql", "SELECT 1;");
  f.write("0002_b.sql", "SELECT 2;");
  f.write("0003_c.sql", "SELECT 3;");
  auto store = std::make_shared<FakeDatabase::Store>();
  store->fail_version = Version::of(2);
  CHECK_THROWS_AS(apply_command(config_for(f), FakeDatabase::opener(store)), DataError);
  REQUIRE(store->rows.size() == 1);
  CHECK(store->rows[0].version == Version::of(1));
  CHECK_FALSE(called(*store, "apply 0003_c.sql"));
}

TEST_CASE("status --exit-code: rows of a newer release are ready, own pending files are not",
          "[migrate][commands]") {
  Folder f;
  f.write("0001_a.sql", "SELECT 1;");
  auto store = std::make_shared<FakeDatabase::Store>();
  const auto open = FakeDatabase::opener(store);
  CHECK(status_command(config_for(f), open, false, true) == 1);  // 0001 pending
  apply_command(config_for(f), open);
  AppliedRow newer = store->rows[0];
  newer.version = Version::of(2);
  newer.name = "from_the_next_release";
  store->rows.push_back(newer);
  CHECK(status_command(config_for(f), open, true, true) == 0);
  CHECK(store->calls.back() == "open ro");  // status never opens for writing
}

TEST_CASE("plan and status never open the database for writing", "[migrate][commands]") {
  Folder f;
  f.write("0001_a.sql", "SELECT 1;");
  auto store = std::make_shared<FakeDatabase::Store>();
  const auto open = FakeDatabase::opener(store);
  CHECK(plan_command(config_for(f), open, false) == 0);
  CHECK(plan_command(config_for(f), open, true) == 0);
  CHECK(status_command(config_for(f), open, false, false) == 0);
  CHECK_FALSE(called(*store, "open rw"));
  CHECK_FALSE(called(*store, "ensure_history"));
}

TEST_CASE("wait: 0 once applied, 75 while pending, 69 when never reachable",
          "[migrate][commands]") {
  using std::chrono::milliseconds;
  Folder f;
  f.write("0001_a.sql", "SELECT 1;");
  auto store = std::make_shared<FakeDatabase::Store>();
  const auto open = FakeDatabase::opener(store);
  CHECK_THROWS_AS(wait_command(config_for(f), open, milliseconds(200)), TempFailError);
  CHECK(store->opened >= 1);
  apply_command(config_for(f), open);
  CHECK(wait_command(config_for(f), open, milliseconds(200)) == 0);
  store->reachable = false;
  CHECK_THROWS_AS(wait_command(config_for(f), open, milliseconds(200)), UnavailableError);
}

TEST_CASE("wait: a failed migration ends the wait at once", "[migrate][commands]") {
  Folder f;
  f.write("0001_a.sql", "SELECT 1;");
  auto store = std::make_shared<FakeDatabase::Store>();
  AppliedRow failed;
  failed.version = Version::of(1);
  failed.name = "a";
  failed.state = "failed";
  store->rows.push_back(failed);
  const auto started = std::chrono::steady_clock::now();
  CHECK_THROWS_AS(wait_command(config_for(f), FakeDatabase::opener(store), std::chrono::minutes(5)),
                  DataError);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::minutes(1));
}

TEST_CASE("review: an applied file edited afterwards is not re-recorded without --force",
          "[migrate][commands]") {
  Folder f;
  f.write("0001_a.sql", "SELECT 1;");
  auto store = std::make_shared<FakeDatabase::Store>();
  const auto open = FakeDatabase::opener(store);
  apply_command(config_for(f, Mode::kDev), open);
  std::ofstream(f.dir() + "/0001_a.sql", std::ios::app) << "\n-- edited\n";
  CHECK_THROWS_AS(review_command(config_for(f, Mode::kDev), open, {}, true, false), DataError);
  CHECK(review_command(config_for(f, Mode::kDev), open, {}, true, true) == 0);
  // Unreachable history: refused too, safe by default.
  std::ofstream(f.dir() + "/0001_a.sql", std::ios::app) << "-- again\n";
  store->reachable = false;
  CHECK_THROWS_AS(review_command(config_for(f, Mode::kDev), open, {}, true, false), DataError);
}
