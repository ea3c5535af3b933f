// A synthetic vocabulary with Zipf-distributed word frequencies, so generated
// text has the statistics of natural language that matter to juggle: a few
// very frequent short words, a long tail of rare ones (hash maps see the
// same cache behaviour as on real books). Some words carry non-ASCII letters
// (UTF-8) so the tokenizer's Unicode path is exercised too.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gen/rng.hpp"

namespace juggle::gen {

class Vocabulary {
 public:
  // `size` distinct words; frequency of rank r proportional to 1 / (r + 1)^exponent.
  explicit Vocabulary(std::uint64_t seed, std::size_t size = 20000, double exponent = 1.07);

  [[nodiscard]] std::size_t size() const noexcept { return words_.size(); }
  [[nodiscard]] const std::string& word(std::size_t rank) const { return words_[rank]; }
  // A word rank drawn from the Zipf distribution.
  [[nodiscard]] std::size_t sample(Rng& rng) const noexcept;

 private:
  std::vector<std::string> words_;
  std::vector<double> cdf_;
};

}  // namespace juggle::gen
