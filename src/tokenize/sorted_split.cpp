#include "tokenize/sorted_split.hpp"

#include <algorithm>

namespace juggle::tokenize {

std::size_t samples_per_rank(std::size_t words, int ranks) noexcept {
  const std::size_t wanted = std::max<std::size_t>(64, static_cast<std::size_t>(std::max(ranks, 1)));
  return std::min(words, wanted);
}

std::vector<WordCount> regular_samples(std::span<const WordCount> sorted, std::size_t count) {
  if (count >= sorted.size()) return {sorted.begin(), sorted.end()};
  std::vector<WordCount> samples;
  samples.reserve(count);
  for (std::size_t i = 0; i < count; ++i) samples.push_back(sorted[i * sorted.size() / count]);
  return samples;
}

std::vector<WordCount> choose_splitters(std::vector<WordCount> samples, int parts) {
  std::sort(samples.begin(), samples.end(), ranks_before);
  std::vector<WordCount> splitters;
  if (parts <= 1 || samples.empty()) return splitters;
  const auto cuts = static_cast<std::size_t>(parts - 1);
  for (std::size_t i = 1; i <= cuts; ++i) {
    const WordCount& s = samples[i * samples.size() / static_cast<std::size_t>(parts)];
    // Equal splitters would make an empty part between them: keep each once.
    if (splitters.empty() || ranks_before(splitters.back(), s)) splitters.push_back(s);
  }
  return splitters;
}

std::vector<std::size_t> cut_at_splitters(std::span<const WordCount> sorted, std::span<const WordCount> splitters,
                                          int parts) {
  std::vector<std::size_t> bounds(static_cast<std::size_t>(std::max(parts, 1)) + 1, sorted.size());
  bounds[0] = 0;
  for (std::size_t i = 0; i < splitters.size() && i + 1 < bounds.size() - 1; ++i)
    bounds[i + 1] = static_cast<std::size_t>(
        std::lower_bound(sorted.begin(), sorted.end(), splitters[i], ranks_before) - sorted.begin());
  return bounds;
}

}  // namespace juggle::tokenize
