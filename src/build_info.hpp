// Facts about this build, fixed at configure time (see CMakeLists.txt).
#pragma once

namespace juggle::build_info {
extern const char* const tool_version;  // project version, e.g. "0.1.0"
extern const char* const git_sha;       // short commit of the configured tree, or "unknown"
extern const char* const build_type;    // CMAKE_BUILD_TYPE
extern const char* const analysis_dir;  // the source tree's analysis/ (plot.py)
}  // namespace juggle::build_info
