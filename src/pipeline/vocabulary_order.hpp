// The stored vocabulary, laid out across ranks in report order.
//
// After the shuffle each rank owns a hash shard of the words. Outputs want
// the words in report order (count descending, then bytes), and no rank may
// hold them all: a sample sort (tokenize/sorted_split.hpp) moves every word
// once more, so that rank r holds a contiguous run of the order and the
// ranks' runs, in rank order, are the whole of it. Each rank then writes
// its own rows of the CSV and of the results file at an offset that a
// prefix sum of the ranks' row counts gives.
//
// Per rank this costs sending max(64, P) sample words to rank 0, which
// alone holds all P * max(64, P) of them and sends back the P - 1
// splitters, and one all-to-all carrying the rank's shard.
// With --vocab-limit N a rank first keeps the N first words of its own
// shard: no other word can be among the N first of the whole.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "tokenize/vocabulary.hpp"

namespace juggle::pipeline {

struct VocabularyRows {
  std::vector<tokenize::WordCount> words;  // this rank's rows, report order
  std::uint64_t first_row = 0;             // where they start in the whole
  std::uint64_t total_rows = 0;            // rows on all ranks together
};

// Collective. The first `limit` words (report order) of the union of every
// rank's shard (shards hold disjoint words), as this rank's rows.
[[nodiscard]] VocabularyRows order_across_ranks(const tokenize::WordCounts& shard, std::size_t limit, int ranks);

// Collective. The first `limit` words in report order of the union of every
// rank's `mine` (disjoint lists, each in any order), on rank 0 (empty
// elsewhere): the top list, from the shards' own tops or the stored rows.
[[nodiscard]] std::vector<tokenize::WordCount> top_at_root(std::span<const tokenize::WordCount> mine,
                                                           std::size_t limit, int ranks);

// Collective. The word of the last row before this rank's first one (the
// last row of the nearest rank before with rows), or "" when none is.
[[nodiscard]] std::string last_word_before_me(const VocabularyRows& rows, int rank, int ranks);

}  // namespace juggle::pipeline
