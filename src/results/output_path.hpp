// Where a results file goes, and how it gets there without ever leaving a
// partial file, or replacing an earlier one, under a final name.
//
// The file is written under a hidden temporary name in the target directory
// and published at the end with link(2) (fails if the name exists) or, with
// --force, rename(2) (atomic replace). Default names carry a UTC timestamp;
// two runs in the same second get "-2", "-3", ... rather than one clobbering
// the other.
#pragma once

#include <ctime>
#include <string>
#include <string_view>

namespace juggle::results {

// "<dir>/<command>-YYYYMMDDTHHMMSSZ.h5"
[[nodiscard]] std::string default_output_path(std::string_view command, std::time_t now,
                                              const std::string& dir = "results");

// Checks before the work starts that `path` can be published: its directory
// exists or can be created and is writable, and the name is free unless
// `force`. Returns an empty string when fine, else the reason.
[[nodiscard]] std::string check_output_target(const std::string& path, bool force);

// A temporary name next to `final_path`, unique to this process.
[[nodiscard]] std::string temporary_path_for(const std::string& final_path);

// Gives the complete file `temp` the name `final_path`. Without `force` an
// existing file is never replaced: with `bump` a free "-N" variant is taken,
// else it fails. Returns the name used; throws std::runtime_error with the
// reason. `temp` is gone afterwards only on success.
std::string publish(const std::string& temp, const std::string& final_path, bool force, bool bump);

}  // namespace juggle::results
