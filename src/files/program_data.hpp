// Where juggle's own data files are (the plot script, the job templates):
// found from the running binary's location, never from where it was built, so
// an installed tree works after the source is deleted and keeps working when
// the whole tree is moved.
#pragma once

#include <string>

namespace juggle::files {

// The directory holding the running executable (symbolic links resolved:
// build/juggle links to build/bin/juggle). Empty when /proc/self/exe
// cannot be read.
[[nodiscard]] std::string executable_directory();

// The data directory: $JUGGLE_DATA_DIR when set and not empty (a site's own
// layout), else executable_directory()/from_bin, normalised
// (from_bin: "../share/juggle" in the usual layout).
[[nodiscard]] std::string program_data_directory(const std::string& from_bin);

}  // namespace juggle::files
