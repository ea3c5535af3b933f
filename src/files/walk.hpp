// Turning the paths a user names into the ordered list of files to process.
//
// Order is the contract: arguments in the order given, directories expanded
// depth-first with entries sorted by name (bytes), so every rank count and
// every run sees the same list and per-file output is reproducible.
// Directories are recursed; symbolic links are followed, and each directory
// is entered once (by device and inode), so link loops cannot hang the walk.
// Inside directories only regular files whose name matches one of the
// include patterns (fnmatch) are taken; a file named explicitly is always
// taken. The root "-" is standard input, one stream (never statted or
// opened by name; a file named "-" is "./-"). Problems (missing path, unreadable directory) become entries of the
// list at the place they occur, with the reason, never exceptions: one bad
// path must not stop the others, and the user sees it where they named it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace juggle::files {

struct InputFile {
  std::string path;
  std::uint64_t size = 0;  // bytes on disk at walk time
  std::string problem;     // empty for a file to process; else why it cannot be
  bool standard_input = false;  // the root "-": read as one stream from fd 0, size unknown (0)
};

// `include` holds fnmatch(3) patterns matched against the base name; empty
// means every regular file.
[[nodiscard]] std::vector<InputFile> walk_inputs(const std::vector<std::string>& roots, const std::vector<std::string>& include);

// The same walk, handing each entry to `found` as soon as it is known (in
// the same order), so work on the first files can start while the walk goes
// on. Whatever `found` throws ends the walk.
void walk_inputs(const std::vector<std::string>& roots, const std::vector<std::string>& include,
                 const std::function<void(InputFile)>& found);

}  // namespace juggle::files
