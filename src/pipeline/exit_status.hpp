// Process exit codes, documented in README.md and in every command's help.
#pragma once

namespace juggle {

enum ExitCode : int {
  kExitOk = 0,          // everything processed
  kExitSomeFailed = 1,  // some inputs failed (each named on stderr); the rest were processed and kept
  kExitUsage = 2,       // bad command line
  kExitOutput = 3,      // the results file could not be written (nothing else lost: stdout has the summary)
  kExitInternal = 4,    // internal error or a failing rank (MPI_Abort)
};

}  // namespace juggle
