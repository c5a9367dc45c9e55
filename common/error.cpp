#include "common/error.hpp"

#include <cerrno>

namespace ballast {

std::system_error errno_error(const std::string& what) { return errno_error(errno, what); }

std::system_error errno_error(int err, const std::string& what) {
  return std::system_error(err, std::generic_category(), "unable to " + what);
}

}  // namespace ballast
