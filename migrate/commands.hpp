#pragma once

#include "migrate/config.hpp"

namespace ballast::migrate {

// `migrate apply`: applies every pending migration in version order, each in its own
// transaction with its history row, under the migration lock. Returns 0; throws DataError
// (a file failed, or an applied file changed), TempFailError (lock), UnavailableError.
int apply_command(const Config& config);

// `migrate status`: one row per migration on stdout (or one JSON array with `json`). Never
// writes to the database. Returns 1 when `exit_code` is set and anything is pending, failed,
// changed or missing; else 0.
int status_command(const Config& config, bool json, bool exit_code);

}  // namespace ballast::migrate
