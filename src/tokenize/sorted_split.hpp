// Cutting one sorted order across ranks: the pure half of a sample sort.
//
// Each rank holds a disjoint set of words (its hash shard), sorted in
// report order. To lay the whole vocabulary out in that order without any
// rank holding all of it, every rank offers a few words at regular
// positions of its list (regular_samples); one rank sorts all the offered
// words and picks the cut points from them (choose_splitters), which every
// rank receives; each rank then cuts its own list at them (cut_at_splitters) and
// sends part i to rank i. Rank i ends with exactly the words between
// splitters i-1 and i, so the ranks' parts, taken in rank order, are the
// whole order. With s samples from each of P ranks and s >= P, no part is
// larger than about 2n/P (regular sampling: Shi and Schaeffer, 1992).
//
// Nothing here talks to other ranks; pipeline/vocabulary_order.cpp does.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "tokenize/vocabulary.hpp"

namespace juggle::tokenize {

// How many samples each of `ranks` ranks offers from a list of `words`
// words: at least `ranks` (the 2n/P bound), at least 64 (small runs
// balance well too), never more than the list holds.
[[nodiscard]] std::size_t samples_per_rank(std::size_t words, int ranks) noexcept;

// `count` words of `sorted` (report order) at evenly spaced positions,
// first word included; all of them when count >= sorted.size().
[[nodiscard]] std::vector<WordCount> regular_samples(std::span<const WordCount> sorted, std::size_t count);

// The `parts - 1` words that cut the sorted samples (given in any order)
// into `parts` runs of nearly equal length; fewer when there are fewer
// distinct samples than cuts (the last parts are then empty). The same
// samples, in any order, give the same splitters.
[[nodiscard]] std::vector<WordCount> choose_splitters(std::vector<WordCount> samples, int parts);

// Where `sorted` (report order) is cut: parts + 1 positions b, part i being
// [b[i], b[i+1]), part i holding the words w with splitters[i-1] <= w <
// splitters[i] in report order. Parts past the splitters are empty.
[[nodiscard]] std::vector<std::size_t> cut_at_splitters(std::span<const WordCount> sorted,
                                                        std::span<const WordCount> splitters, int parts);

}  // namespace juggle::tokenize
