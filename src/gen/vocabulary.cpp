#include "gen/vocabulary.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>
#include <unordered_set>

namespace juggle::gen {
namespace {

constexpr std::array<std::string_view, 24> kOnsets = {"", "b", "c", "d", "f", "g", "h", "l", "m", "n", "p", "r",
                                                      "s", "t", "v", "w", "th", "st", "br", "ch", "sh", "gr", "pl", "k"};
constexpr std::array<std::string_view, 12> kVowels = {"a", "e", "i", "o", "u", "ea", "ou", "ai", "y", "ie", "oo", "e"};
constexpr std::array<std::string_view, 10> kCodas = {"", "", "n", "r", "s", "t", "nd", "ll", "ng", "ck"};
// Non-ASCII letters (2-byte UTF-8) that replace a vowel in some words.
constexpr std::array<std::string_view, 8> kAccented = {"\xC3\xA9", "\xC3\xA8", "\xC3\xBC", "\xC3\xB6",
                                                       "\xC3\xA5", "\xC3\xB8", "\xC3\xA7", "\xC3\xB1"};

template <class Array>
std::string_view pick(const Array& items, Rng& rng) {
  return items[rng.below(items.size())];
}

std::string make_word(Rng& rng, std::size_t syllables) {
  std::string w;
  for (std::size_t s = 0; s < syllables; ++s) {
    w += pick(kOnsets, rng);
    w += rng.below(50) == 0 ? pick(kAccented, rng) : pick(kVowels, rng);
    w += pick(kCodas, rng);
  }
  return w;
}

}  // namespace

Vocabulary::Vocabulary(std::uint64_t seed, std::size_t size, double exponent) {
  Rng rng(seed, 0x766f636162ull);  // "vocab" stream
  std::unordered_set<std::string> seen;
  words_.reserve(size);
  while (words_.size() < size) {
    // Frequent words are short: syllable count grows with the rank.
    const std::size_t rank = words_.size();
    const std::size_t max_syllables = rank < 100 ? 1 : rank < 2000 ? 2 : rank < 10000 ? 3 : 4;
    std::string w = make_word(rng, 1 + rng.below(max_syllables));
    if (seen.insert(w).second) words_.push_back(std::move(w));
  }
  cdf_.resize(size);
  double total = 0;
  for (std::size_t r = 0; r < size; ++r) {
    total += 1.0 / std::pow(static_cast<double>(r + 1), exponent);
    cdf_[r] = total;
  }
  for (double& c : cdf_) c /= total;
}

std::size_t Vocabulary::sample(Rng& rng) const noexcept {
  const double u = rng.uniform();
  const auto it = std::upper_bound(cdf_.begin(), cdf_.end(), u);
  return std::min<std::size_t>(static_cast<std::size_t>(it - cdf_.begin()), words_.size() - 1);
}

}  // namespace juggle::gen
