// Joining the deflate chunk records of cut members across ranks
// (collective), by the steps of count/member_join.hpp: outlines to every
// rank, each used record to its home rank (one all-to-all), the window
// functions of the ranks' ranges in an ordered exclusive scan, each range
// resolved on its home rank, and the ranges' parts in an ordered
// all-reduce. Summaries are never gathered on one rank: a rank holds the
// records it decoded until they go home, then its own range's, and two
// window functions (64 KiB each) per cut file during the scan; every rank
// learns each member's verdict.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "count/member_join.hpp"

namespace juggle::pipeline {

// Chunk records by file id (each file's in any order).
using ChunkRecords = std::map<std::uint64_t, std::vector<count::ChunkCount>>;

struct JoinedMembers {
  // Every file with chunk records on any rank: its first member's count,
  // or nullopt when the records do not add up to a verified member (the
  // caller counts the file whole). The same on every rank.
  std::map<std::uint64_t, std::optional<count::MemberCount>> members;
  // With segments asked for: this rank's segments of each joined member,
  // in order (the ranks' shares together cover the member, in rank order).
  std::map<std::uint64_t, std::vector<count::MemberSegment>> segments;
};

// Collective: every rank calls it with the records it holds.
[[nodiscard]] JoinedMembers join_chunks_across_ranks(ChunkRecords mine, int rank, int ranks, bool want_segments);

}  // namespace juggle::pipeline
