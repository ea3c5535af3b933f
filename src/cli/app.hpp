// The whole command line as a function: main() forwards to it, and tests
// call it in-process with their own streams (as rapidgzip's CLI does).
#pragma once

#include <string>
#include <vector>

#include "cli/io.hpp"

namespace juggle::cli {

// Parses argv (argv[0] is the program name) and runs the subcommand.
// Returns an ExitCode. Does not finalise MPI (see main.cpp).
int run_cli(const std::vector<std::string>& argv, Io io = {});

}  // namespace juggle::cli
