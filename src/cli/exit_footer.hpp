// The "Exit status:" paragraph of every command's help, from one table of
// codes (pipeline/exit_status.hpp): each command words what 0 and 1 mean
// for it and which codes it can give; the rest reads the same everywhere.
#pragma once

#include <string>

namespace juggle::cli {

// What each code means for one command; an empty meaning leaves the code
// out. The defaults are the data stages' (count, tokenize): a command names
// only what differs.
struct ExitWording {
  std::string ok = "";                                                               // 0
  std::string some_failed = "";                                                      // 1
  std::string usage = "usage error";                                                 // 2
  std::string output = "output not written";                                         // 3
  std::string internal = "a rank failed (--strict, out of memory, internal error)";  // 4
  std::string interrupted = "interrupted by signal N";                               // 128+N
};

// "Exit status: 0 ..., 1 ..., 2 ..., 3 ..., 4 ..., 128+N ...", wrapped for help.
[[nodiscard]] std::string exit_status_footer(const ExitWording& wording);

}  // namespace juggle::cli
