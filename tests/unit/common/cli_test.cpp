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
  } catch (const UsageError& e) {
    CHECK(std::string(e.what()) == "unknown option '--bogus' (see --help)");
  }
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
