// The production policy file (--policy, JSON) and its evaluation against an environment:
// parsed or refused with a ConfigError; evaluating never throws, and no finding shows a
// secret's value. Input: "POLICY_JSON\0NAME=value\nNAME=value...".
#include "entrypoint/policy.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ballast;
  using namespace ballast::entrypoint;
  fuzz::quiet();
  const auto parts = fuzz::fields(fuzz::as_text(data, size));
  Policy policy;
  if (fuzz::refused([&] { policy = parse_policy(parts[0], "--policy"); })) return 0;
  Env env;
  if (parts.size() > 1)
    for (const auto& line : fuzz::fields(parts[1], '\n'))
      if (const auto eq = line.find('='); eq != std::string::npos && eq > 0)
        env.set(line.substr(0, eq), line.substr(eq + 1));
  const auto findings = evaluate_policy(policy, env);
  for (const auto& f : findings) {
    if (f.check != "secret" || f.ok) continue;
    const auto value = env.get(f.var);
    if (value && value->size() >= 12 && f.var.find(*value) == std::string::npos)
      FUZZ_CHECK(f.detail.find(*value) == std::string::npos);
  }
  return 0;
}
