#pragma once

#include <stdexcept>
#include <string>
#include <system_error>

#include "common/exit_code.hpp"
#include "common/log_fields.hpp"

namespace ballast {

// An error that ends the program with a known exit code. The message follows the project
// grammar without the "prog: fatal: " prefix, e.g. "unable to open x.sql: No such file".
class Error : public std::runtime_error {
 public:
  Error(int exit_code, const std::string& message)
      : std::runtime_error(message), exit_code_(exit_code) {}
  int exit_code() const noexcept { return exit_code_; }
  // Structured fields for the fatal JSON log line (file, version, sqlstate, ...).
  const log::Fields& fields() const noexcept { return fields_; }
  void set_fields(log::Fields fields) { fields_ = std::move(fields); }

 private:
  int exit_code_;
  log::Fields fields_;
};

// `error` with structured fields for its fatal line: throw with_fields(DataError(...), {...}).
template <typename E>
E with_fields(E error, log::Fields fields) {
  error.set_fields(std::move(fields));
  return error;
}

// Bad command line (exit 64).
class UsageError : public Error {
 public:
  explicit UsageError(const std::string& message) : Error(exit_code::kUsage, message) {}
};

// Bad input data (exit 65).
class DataError : public Error {
 public:
  explicit DataError(const std::string& message) : Error(exit_code::kData, message) {}
};

// Configuration refused (exit 78).
class ConfigError : public Error {
 public:
  explicit ConfigError(const std::string& message) : Error(exit_code::kConfig, message) {}
};

// A dependency is unavailable (exit 69).
class UnavailableError : public Error {
 public:
  explicit UnavailableError(const std::string& message) : Error(exit_code::kUnavailable, message) {}
};

// Temporary failure, worth retrying later (exit 75).
class TempFailError : public Error {
 public:
  explicit TempFailError(const std::string& message) : Error(exit_code::kTempFail, message) {}
};

// Not allowed to write where it must: a read-only file, folder or filesystem (exit 77).
class PermissionError : public Error {
 public:
  explicit PermissionError(const std::string& message) : Error(exit_code::kNoPerm, message) {}
};

// Returns a std::system_error for the current errno, with "unable to WHAT" as its message,
// so what() reads "unable to open /data: Permission denied".
std::system_error errno_error(const std::string& what);

// Same, for an explicit errno value.
std::system_error errno_error(int err, const std::string& what);

}  // namespace ballast
