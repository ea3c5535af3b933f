// Facts about this build, fixed at configure time (see CMakeLists.txt).
#pragma once

namespace juggle::build_info {
extern const char* const tool_version;  // project version, e.g. "0.1.0"
extern const char* const git_sha;       // short commit of the configured tree, or "unknown"
extern const char* const build_type;    // CMAKE_BUILD_TYPE
// DATADIR/juggle (analysis/, jobs/, tools/) relative to the directory of the
// juggle binary: "../share/juggle" in the usual install and in the build tree.
extern const char* const data_dir_from_bin;
}  // namespace juggle::build_info
