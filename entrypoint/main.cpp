#include <span>

#include "common/env.hpp"
#include "common/run_main.hpp"
#include "entrypoint/run.hpp"

int main(int argc, char** argv) {
  return ballast::run_main("entrypoint", [&] {
    return ballast::entrypoint::run(std::span(argv + 1, static_cast<std::size_t>(argc - 1)),
                                    ballast::Env::from_process());
  });
}
