#include "common/cli.hpp"

#include <catch2/catch.hpp>

#include "common/error.hpp"

using namespace ballast;

namespace {

const cli::Option kOpts[] = {
    {"user", 'u', "SPEC", "T_USER", "user"},
    {"chown", 0, "PATH", "T_CHOWN", "chown", true, ':'},
    {"json", 0, "", "T_JSON", "json"},
};

cli::Args parse(std::vector<std::string> words, Env env = Env(),
                cli::Positionals p = cli::Positionals::kInterleaved) {
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  return cli::parse(kOpts, argv, env, p);
}

Env env_of(std::map<std::string, std::string, std::less<>> vars) { return Env(std::move(vars)); }

}  // namespace

TEST_CASE("cli::parse: long, short and --name=value forms; repeatable values accumulate",
          "[common][cli]") {
  const auto a = parse({"-u", "app", "--chown=/data", "--chown", "/cache", "--json", "status"});
  CHECK(a.value("user") == "app");
  CHECK(a.values("chown") == std::vector<std::string>{"/data", "/cache"});
  CHECK(a.flag("json"));
  CHECK(a.positional == std::vector<std::string>{"status"});
}

TEST_CASE("cli::parse: kStopAtFirst leaves the command's own options alone", "[common][cli]") {
  const auto a =
      parse({"--user", "app", "node", "--json", "-u"}, Env(), cli::Positionals::kStopAtFirst);
  CHECK(a.value("user") == "app");
  CHECK_FALSE(a.flag("json"));
  CHECK(a.positional == std::vector<std::string>{"node", "--json", "-u"});
}

TEST_CASE("cli::parse: '--' ends options", "[common][cli]") {
  const auto a = parse({"--json", "--", "--user", "x"});
  CHECK(a.flag("json"));
  CHECK_FALSE(a.has("user"));
  CHECK(a.positional == std::vector<std::string>{"--user", "x"});
}

TEST_CASE("cli::parse: unknown options, missing values and repeats are usage errors",
          "[common][cli]") {
  CHECK_THROWS_AS(parse({"--nope"}), UsageError);
  CHECK_THROWS_AS(parse({"-x"}), UsageError);
  CHECK_THROWS_AS(parse({"--user"}), UsageError);
  CHECK_THROWS_AS(parse({"--json=yes"}), UsageError);
  CHECK_THROWS_AS(parse({"--user", "a", "--user", "b"}), UsageError);
  try {
    parse({"--bogus"});
    FAIL("no error");
  } catch (const UsageError& e) {
    CHECK(std::string(e.what()) == "unknown option '--bogus' (see --help)");
  }
}

TEST_CASE("cli::parse: a typo names the closest option", "[common][cli]") {
  try {
    parse({"--usr", "x"});
    FAIL("no error");
  } catch (const UsageError& e) {
    CHECK(std::string(e.what()) == "unknown option '--usr' (did you mean --user? see --help)");
  }
}

namespace {
const cli::Option kHabits[] = {
    {"timeout", 't', "DURATION", "", "timeout", false, 0, "max-time m"},
    {"fail", 'f', "", "", "", false, 0, "s S"},
    {"method", 0, "M", "", "method", false, 0, "X request"},
    {"follow", 'L', "", "", "", false, 0, "location", "redirects are never followed"},
};
cli::Args parse_habits(std::vector<std::string> words) {
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  return cli::parse(kHabits, argv, Env(), cli::Positionals::kInterleaved);
}
}  // namespace

TEST_CASE("cli::parse: short bundles, attached values, aliases and Go's single dash",
          "[common][cli]") {
  const auto a = parse_habits({"-fsS", "-m5", "-X", "HEAD", "url"});
  CHECK(a.flag("fail"));
  CHECK(a.value("timeout") == "5");
  CHECK(a.value("method") == "HEAD");
  CHECK(a.positional == std::vector<std::string>{"url"});
  CHECK(parse_habits({"--max-time", "2"}).value("timeout") == "2");
  CHECK(parse_habits({"-max-time=3"}).value("timeout") == "3");
  CHECK(parse_habits({"-request", "GET"}).value("method") == "GET");
  CHECK(parse_habits({"-t", "1.5s"}).value("timeout") == "1.5s");
  CHECK_THROWS_WITH(parse_habits({"-L"}), "-L: redirects are never followed");
  CHECK_THROWS_WITH(parse_habits({"--location"}), "--location: redirects are never followed");
  CHECK_THROWS_AS(parse_habits({"-fz"}), UsageError);
}

TEST_CASE("cli::Args: looking up an undeclared name is a bug, not an unset option",
          "[common][cli]") {
  const auto a = parse({"--json"});
  CHECK_THROWS_AS(a.flag("jsno"), std::logic_error);
  CHECK_THROWS_AS(a.value("usr"), std::logic_error);
}

TEST_CASE("cli::closest: near names only", "[common][cli]") {
  const std::vector<std::string_view> commands{"apply", "status", "plan", "verify"};
  CHECK(cli::closest("aply", commands) == "apply");
  CHECK(cli::closest("stauts", commands) == "status");
  CHECK(cli::closest("frobnicate", commands).empty());
  CHECK(cli::closest("x", commands).empty());
}

TEST_CASE("cli::parse: environment forms fill in what the command line left out", "[common][cli]") {
  const auto env =
      env_of({{"T_USER", "envuser"}, {"T_CHOWN", "/data::/cache"}, {"T_JSON", "true"}});
  const auto from_env = parse({}, env);
  CHECK(from_env.value("user") == "envuser");
  CHECK(from_env.source("user") == "T_USER");
  CHECK(from_env.values("chown") == std::vector<std::string>{"/data", "/cache"});
  CHECK(from_env.flag("json"));

  const auto flag_wins = parse({"--user", "cli", "--chown", "/x"}, env);
  CHECK(flag_wins.value("user") == "cli");
  CHECK(flag_wins.source("user") == "--user");
  CHECK(flag_wins.values("chown") == std::vector<std::string>{"/x"});
}

TEST_CASE("cli::parse: a flag variable that is not a boolean is a config error", "[common][cli]") {
  CHECK_FALSE(parse({}, env_of({{"T_JSON", "0"}})).flag("json"));
  CHECK_THROWS_AS(parse({}, env_of({{"T_JSON", "maybe"}})), ConfigError);
}

TEST_CASE("cli::help_text: every option with its environment form", "[common][cli]") {
  const auto text = cli::help_text("t [options]", "Does t.", kOpts, "exit codes: 0");
  CHECK(text.rfind("usage: t [options]\n", 0) == 0);
  CHECK(text.find("-u, --user SPEC") != std::string::npos);
  CHECK(text.find("[env T_CHOWN]") != std::string::npos);
  CHECK(text.find("(repeatable)") != std::string::npos);
  CHECK(text.find("exit codes: 0") != std::string::npos);
}
