#include "pipeline/vocabulary_order.hpp"

#include <algorithm>
#include <utility>

#include "parallel/collectives.hpp"
#include "tokenize/sorted_split.hpp"

namespace juggle::pipeline {

using tokenize::WordCount;

VocabularyRows order_across_ranks(const tokenize::WordCounts& shard, std::size_t limit, int ranks) {
  std::vector<WordCount> local = tokenize::top_words(shard, limit);
  if (ranks == 1) {
    const std::uint64_t rows = local.size();
    return {std::move(local), 0, rows};
  }
  // The samples (P * max(64, P) words in all) meet on rank 0 alone, which
  // sends back only the P - 1 splitters: no rank but rank 0 holds more than
  // its own samples.
  const std::vector<WordCount> samples =
      tokenize::regular_samples(local, tokenize::samples_per_rank(local.size(), ranks));
  std::vector<char> chosen;
  {
    std::vector<char> gathered = parallel::gather_bytes(tokenize::encode_list(samples), 0);
    if (!gathered.empty()) chosen = tokenize::encode_list(tokenize::choose_splitters(tokenize::decode_list(gathered), ranks));
  }
  parallel::broadcast_bytes(chosen, 0);
  const std::vector<WordCount> splitters = tokenize::decode_list(chosen);
  const std::vector<std::size_t> bounds = tokenize::cut_at_splitters(local, splitters, ranks);
  std::vector<std::vector<char>> parts(static_cast<std::size_t>(ranks));
  for (std::size_t r = 0; r < parts.size(); ++r)
    parts[r] = tokenize::encode_list(std::span(local).subspan(bounds[r], bounds[r + 1] - bounds[r]));
  std::vector<WordCount>().swap(local);
  std::vector<char> arrived = parallel::exchange_bytes(parts);
  std::vector<std::vector<char>>().swap(parts);
  VocabularyRows rows;
  rows.words = tokenize::decode_list(arrived);
  std::vector<char>().swap(arrived);
  // Sorted runs from each sender; one sort puts them together.
  std::sort(rows.words.begin(), rows.words.end(), tokenize::ranks_before);
  rows.first_row = parallel::sum_before_me(rows.words.size());
  const std::uint64_t keep = rows.first_row >= limit ? 0 : limit - rows.first_row;
  if (rows.words.size() > keep) rows.words.resize(keep);
  rows.first_row = std::min<std::uint64_t>(rows.first_row, limit);  // a rank left with none starts at the end
  rows.total_rows = parallel::sum_over_ranks(rows.words.size());
  return rows;
}

std::vector<WordCount> top_at_root(std::span<const WordCount> mine, std::size_t limit, int ranks) {
  if (ranks == 1) return tokenize::top_words(std::vector<WordCount>(mine.begin(), mine.end()), limit);
  return tokenize::top_words(tokenize::decode_list(parallel::gather_bytes(tokenize::encode_list(mine), 0)), limit);
}

std::string last_word_before_me(const VocabularyRows& rows, int rank, int ranks) {
  if (ranks == 1) return "";
  // One record per rank, an empty word for a rank without rows (no word is empty).
  const WordCount last = rows.words.empty() ? WordCount{} : rows.words.back();
  const std::vector<WordCount> lasts =
      tokenize::decode_list(parallel::all_gather_bytes(tokenize::encode_list(std::span(&last, 1))));
  std::string before;
  const auto me = static_cast<std::size_t>(rank);
  for (std::size_t r = 0; r < me && r < lasts.size(); ++r)
    if (!lasts[r].word.empty()) before = lasts[r].word;
  return before;
}

}  // namespace juggle::pipeline
