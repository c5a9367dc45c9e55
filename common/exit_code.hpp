#pragma once

// The one exit-code table of Ballast, sysexits(3)-style. Each binary's doc lists the subset it
// uses; healthcheck maps everything but kOk to kFailure (Docker reserves 2 for itself).
namespace ballast::exit_code {

inline constexpr int kOk = 0;            // success / healthy
inline constexpr int kFailure = 1;       // generic failure / unhealthy / something pending
inline constexpr int kUsage = 64;        // bad command line
inline constexpr int kData = 65;         // bad input data: a migration, a ledger, a policy finding
inline constexpr int kUnavailable = 69;  // a dependency never came up
inline constexpr int kSoftware = 70;     // internal error: a bug in Ballast
inline constexpr int kOs = 71;           // a system call failed (privilege drop, fork, ...)
inline constexpr int kTempFail = 75;     // try again later: a lock held too long
inline constexpr int kNoPerm = 77;       // cannot write where it must: a read-only database
inline constexpr int kConfig = 78;       // configuration refused: weak secret, missing URL in prod
inline constexpr int kCannotExec = 126;  // command found but not executable
inline constexpr int kNotFound = 127;    // command not found
inline constexpr int kSignalBase = 128;  // 128 + N: the command died of signal N

}  // namespace ballast::exit_code
