// How many bytes one MPI call of juggle's may carry into one rank.
//
// MPI counts and displacements are int, so anything larger is moved in
// rounds (collectives) or as one element of a derived type (messages).
// 1 GiB, well under 2^31; JUGGLE_MPI_ROUND_BYTES lowers it so that tests
// send small data down the same path. Internal to src/parallel/.
#pragma once

#include <cstddef>

namespace juggle::parallel {

[[nodiscard]] std::size_t round_bytes();

}  // namespace juggle::parallel
