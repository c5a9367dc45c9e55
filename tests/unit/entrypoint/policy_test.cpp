#include "entrypoint/policy.hpp"

#include <catch2/catch.hpp>

#include "common/error.hpp"

using namespace ballast;
using namespace ballast::entrypoint;

TEST_CASE("weak_secret_reason: defaults, placeholders and short values are weak",
          "[entrypoint][policy]") {
  CHECK(weak_secret_reason("changeme", 0, 0));
  CHECK(weak_secret_reason("Change-Me!", 0, 0));
  CHECK(weak_secret_reason("secret", 0, 0));
  CHECK(weak_secret_reason("<your-api-key>", 0, 0) == "a template placeholder");
  CHECK(weak_secret_reason("${JWT_SECRET}", 0, 0) == "a template placeholder");
  CHECK(weak_secret_reason("your-secret-key-here-please-change", 0, 0));
  CHECK(weak_secret_reason("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 0, 0) ==
        "one repeated character");
  CHECK(weak_secret_reason("a-real-but-short-one", 32, 0)->find("too short: 20 chars") == 0);
  CHECK(weak_secret_reason("abababababababababababababababab", 32, 8)->find("only 2 distinct") ==
        0);
  CHECK(weak_secret_reason("my-jwt-secret-is-an-example-value-0123", 32, 0)
            ->find("placeholder word") != std::string::npos);
  CHECK(weak_secret_reason("", 0, 0) == "empty");
}

TEST_CASE("weak_secret_reason: a long random value passes", "[entrypoint][policy]") {
  CHECK_FALSE(weak_secret_reason("q7Zt9pL2vX4mN8rB1cK6yH3wD5sF0gJe", 32, 10));
}

TEST_CASE("database_url_problem: default credentials, empty passwords, SQLite when refused",
          "[entrypoint][policy]") {
  const Env none;
  const DatabaseUrlRule any;
  const DatabaseUrlRule no_sqlite{false, false};
  CHECK(database_url_problem("postgres://test:test@db/app", any, none));
  CHECK(database_url_problem("postgres://postgres:postgres@db:5432/app", any, none));
  CHECK(database_url_problem("postgresql://user:pass@db/app", any, none));
  CHECK(database_url_problem("postgres://app:@db/app", any, none)->find("empty password") !=
        std::string::npos);
  CHECK(database_url_problem("postgres://app@db/app", any, none)->find("no password") !=
        std::string::npos);
  CHECK_FALSE(
      database_url_problem("postgres://app@db/app", any, Env({{"PGPASSWORD", "Xk29fLq0pVz7"}})));
  CHECK(database_url_problem("postgres://app@db/app", any, Env({{"PGPASSWORD", "postgres"}})));
  CHECK(database_url_problem("postgres://app:app@db/app", any, none));
  CHECK(database_url_problem("postgres://app:changeme@db/app", any, none));
  CHECK(database_url_problem("sqlite:./data/app.db", no_sqlite, none)->find("SQLite") !=
        std::string::npos);
  CHECK_FALSE(database_url_problem("sqlite:./data/app.db", any, none));
  CHECK_FALSE(
      database_url_problem("postgres://app:Xk29fLq0pVz7@db/app?sslmode=require", any, none));
}

TEST_CASE("database_url_problem: every spelling of the same weak credentials is caught",
          "[entrypoint][policy]") {
  const Env none;
  const DatabaseUrlRule any;
  for (const auto* url :
       {"host=db user=postgres password=postgres dbname=app",
        "host=db user=postgres password='postgres'", "postgres://postgres:pass%77ord@db/app",
        "postgres://app@db/app?password=postgres&user=postgres",
        "postgresql://POSTGRES:postgres@db/app", "jdbc:postgresql://db/app?user=root&password=root",
        "postgresql+asyncpg://test:test@db/app", "postgres://app:not%zzhex@db/app"}) {
    INFO(url);
    CHECK(database_url_problem(url, any, none));
  }
  CHECK(database_url_problem("postgres://app@db/app?password=postgres", any, none)
            ->find("no password") == std::string::npos);
  CHECK_FALSE(database_url_problem("host=/run/postgresql user=app dbname=app", any, none));
}

TEST_CASE("database_url_problem: require_ssl wants sslmode require or verify-*",
          "[entrypoint][policy]") {
  const Env none;
  const DatabaseUrlRule ssl{true, true};
  const std::string strong = "postgres://app:Xk29fLq0pVz7@db/app";
  CHECK(database_url_problem(strong, ssl, none)->find("sslmode") != std::string::npos);
  CHECK(database_url_problem(strong + "?sslmode=prefer", ssl, none));
  CHECK(database_url_problem(strong + "?sslmode=disable", ssl, none));
  CHECK_FALSE(database_url_problem(strong + "?sslmode=verify-full", ssl, none));
  CHECK_FALSE(database_url_problem(strong + "?ssl=true", ssl, none));
  CHECK_FALSE(database_url_problem(strong, ssl, Env({{"PGSSLMODE", "require"}})));
  CHECK_FALSE(
      database_url_problem("host=/run/postgresql user=app password=Xk29fLq0pVz7", ssl, none));
}

TEST_CASE("parse_policy: a typo is an error with its JSON path, never a skipped check",
          "[entrypoint][policy]") {
  CHECK_NOTHROW(parse_policy(R"({"rules":[{"kind":"secret","vars":"JWT_SECRET","min_length":32}]})",
                             "p.json"));
  const auto err = [](const char* text) {
    try {
      parse_policy(text, "p.json");
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(err(R"({"rules":[{"kind":"secret","vars":"X","min_lenght":32}]})")
            .find("rules[0].min_lenght: unknown key") != std::string::npos);
  CHECK(err(R"({"rules":[{"kind":"secrets","vars":"X"}]})")
            .find("rules[0].kind: unknown kind 'secrets'") != std::string::npos);
  CHECK(err(R"({"rules":[{"kind":"secret","vars":"X","min_length":"32"}]})")
            .find("rules[0].min_length: expected a whole number") != std::string::npos);
  CHECK(err(R"({"rules":[{"kind":"forbid","vars":"X"}]})").find("rules[0].values: missing") !=
        std::string::npos);
  CHECK(err(R"({"rule":[]})").find("rule: unknown key") != std::string::npos);
  CHECK(err("{").find("not JSON") != std::string::npos);
}

TEST_CASE("evaluate_policy: one finding per rule and variable, secrets masked",
          "[entrypoint][policy]") {
  const Policy p = parse_policy(R"({"rules":[
    {"kind":"required","vars":["DATABASE_URL","ORIGIN"]},
    {"kind":"secret","vars":"JWT_SECRET","min_length":32},
    {"kind":"secret","vars":"GOOGLE_CLIENT_SECRET","min_length":16,"optional":true},
    {"kind":"forbid","vars":"CORS_ALLOW_ORIGINS","values":["*"],"hint":"list your domains"},
    {"kind":"https","vars":"ORIGIN"},
    {"kind":"database_url","vars":"DATABASE_URL","allow_sqlite":false}]})",
                                "p.json");
  const Env env({{"DATABASE_URL", "postgres://test:test@db/app"},
                 {"ORIGIN", "http://app.example.com"},
                 {"JWT_SECRET", "changeme-changeme-changeme-changeme"},
                 {"CORS_ALLOW_ORIGINS", "*"}});
  const auto f = evaluate_policy(p, env);
  REQUIRE(f.size() == 7);
  CHECK(f[0].ok);
  CHECK(f[1].ok);
  CHECK_FALSE(f[2].ok);
  CHECK(f[2].detail.find("changeme-changeme") == std::string::npos);
  CHECK(f[2].detail.rfind("ch******", 0) == 0);
  CHECK(f[3].ok);  // optional and unset
  CHECK_FALSE(f[4].ok);
  CHECK(f[4].detail.find("(list your domains)") != std::string::npos);
  CHECK_FALSE(f[5].ok);
  CHECK_FALSE(f[6].ok);
  CHECK(f[6].detail.find("test:test") == std::string::npos);
}
