// Joining the counts of a file's ranges into the file's count.
//
// A file split at member boundaries (gzip/bgzf.hpp) is counted range by
// range, on any threads and ranks; joined in file order, the ranges must
// say exactly what one sequential pass would. That holds when every range
// decoded whole: each range but the last ended exactly at its end (no bytes
// after its last member) and every range verified. Anything else (a damaged
// member, a cut that missed a member boundary) is left to the sequential
// pass, whose verdict and partial counts are the reference: the join
// refuses, and the caller counts the file again whole.
#pragma once

#include <optional>
#include <span>

#include "count/gzip_line_counter.hpp"

namespace juggle::count {

// The file's count from its ranges' counts in file order (at least one), or
// nullopt when they do not add up to what a sequential pass would report.
[[nodiscard]] std::optional<LineCount> join_ranges(std::span<const LineCount> ranges);

}  // namespace juggle::count
