#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include "common/secret.hpp"

namespace {

// Every test case starts with no registered secret: state must not leak from one case to
// the next (a password registered by one would mask words in another's log lines).
class FreshSecrets : public Catch::TestEventListenerBase {
 public:
  using Catch::TestEventListenerBase::TestEventListenerBase;
  void testCaseStarting(const Catch::TestCaseInfo& /*info*/) override {
    ballast::secret::forget_all();
  }
};

}  // namespace

CATCH_REGISTER_LISTENER(FreshSecrets)
