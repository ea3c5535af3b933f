// The "Exit status:" paragraph of every command's help, from one table of
// codes (pipeline/exit_status.hpp): each command words what 0 and 1 mean
// for it and which codes it can give; the rest reads the same everywhere.
#pragma once

#include <string>

namespace juggle::cli {

struct ExitWording {
  std::string ok;           // what 0 means, e.g. "all files counted"
  std::string some_failed;  // what 1 means
  std::string usage = "usage error";
  std::string output = "output not written";            // empty: the command writes no output
  std::string internal;                                 // what 4 covers; empty: the command cannot give 4
  std::string interrupted = "interrupted by signal N";  // empty: not documented for the command
};

// "Exit status: 0 ..., 1 ..., 2 ..., 3 ..., 4 ..., 128+N ...", wrapped for help.
[[nodiscard]] std::string exit_status_footer(const ExitWording& wording);

}  // namespace juggle::cli
