// What this process has handed to MPI to send, so that a run can set the
// bytes its ranks sent against docs/scaling.md's formulas.
//
// parallel/'s wrappers count as they call MPI (collectives.cpp,
// messages.cpp): a collective call counts once on every rank that makes it,
// with the payload this rank sends to other ranks in it (a broadcast's
// bytes on the root only, a gather's part on the senders, an all-to-all's
// parts for the other ranks, a reduction's or scan's contribution); a
// point-to-point message counts once, with its bytes. What MPI itself adds
// (headers, a tree's relaying, an all-gather's fan-out) and the MPI-IO
// writes of the CSV and of parallel HDF5 are not counted. The counters are
// atomic, so they stay right whichever thread makes an MPI call.
#pragma once

#include <cstdint>

namespace juggle::parallel {

struct Traffic {
  std::uint64_t collectives = 0;       // collective calls made
  std::uint64_t collective_bytes = 0;  // this rank's payload in them, for other ranks
  std::uint64_t messages = 0;          // point-to-point messages sent
  std::uint64_t message_bytes = 0;
};

// The counts since the process started.
[[nodiscard]] Traffic traffic_so_far() noexcept;

// For parallel/'s wrappers, at each MPI call: see the top of this file.
void count_collective(std::uint64_t bytes_for_others) noexcept;
void count_message(std::uint64_t bytes) noexcept;

}  // namespace juggle::parallel
