// One file written by every rank at once, each rank's bytes after those of
// the ranks before it (MPI-IO), so that no rank gathers what the others
// wrote. A rank's offset is the sum of the sizes before it (MPI_Exscan);
// writes are independent and in pieces of at most 1 GiB, so no int count
// overflows. Opening, truncating and closing are collective.
//
// Every rank must see the same file under the same name: a file system all
// ranks share. Where they do not (node-local /tmp in a job over several
// nodes, ranks started in different directories and a relative name), an
// MPI-IO open waits forever, so check_every_rank_sees comes first.
//
// A failure on any rank is a failure of the call on every rank, with the
// reason of the lowest failing rank, so the ranks agree whether to publish.
#pragma once

#include <span>
#include <string>

namespace juggle::parallel {

// Collective. Creates or truncates `path` and writes every rank's `mine`
// into it in rank order. Returns "" or why it failed (the same on every
// rank), naming neither the file nor the rank: the caller names the file.
// Without MPI (juggle started alone) it writes `mine` alone.
[[nodiscard]] std::string write_in_rank_order(const std::string& path, std::span<const char> mine);

// Collective. "" when every rank sees the file `path` (which one rank has
// created before the call), else why not, the same on every rank, naming
// `path` and the lowest rank that does not see it. A rank that misses it looks again
// for about a second: a network file system may show another node's new
// file late. Without MPI, "".
[[nodiscard]] std::string check_every_rank_sees(const std::string& path);

}  // namespace juggle::parallel
