#include <span>

#include "common/env.hpp"
#include "common/run_main.hpp"
#include "healthcheck/run.hpp"

int main(int argc, char** argv) {
  return ballast::run_main(
      "healthcheck",
      [&] {
        return ballast::healthcheck::run(std::span(argv + 1, static_cast<std::size_t>(argc - 1)),
                                         ballast::Env::from_process());
      },
      ballast::ExitPolicy::kBinaryOnly);
}
