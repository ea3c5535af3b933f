#include "results/front_coded_words.hpp"

#include <algorithm>
#include <stdexcept>

namespace juggle::results {
namespace {

constexpr std::size_t kMaxPrefix = 255;

bool continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The bytes `word` shares with `before`, ending on a character boundary.
std::size_t shared_prefix(std::string_view before, std::string_view word) {
  const std::size_t limit = std::min({before.size(), word.size(), kMaxPrefix});
  std::size_t n = 0;
  while (n < limit && before[n] == word[n]) ++n;
  while (n > 0 && n < word.size() && continuation_byte(word[n])) --n;
  return n;
}

}  // namespace

FrontCodedWords front_code(std::span<const std::string> words) {
  const std::vector<std::string_view> views(words.begin(), words.end());
  return front_code(views, {});
}

FrontCodedWords front_code(std::span<const std::string_view> words, std::string_view before) {
  FrontCodedWords coded;
  coded.prefix.reserve(words.size());
  for (const std::string_view word : words) {
    if (word.find('\n') != std::string_view::npos)
      throw std::invalid_argument("a word holds a newline, which separates the words");
    const std::size_t n = shared_prefix(before, word);
    coded.prefix.push_back(static_cast<std::uint8_t>(n));
    coded.suffixes.append(word, n);
    coded.suffixes += '\n';
    before = word;
  }
  return coded;
}

std::vector<std::string> front_decode(std::span<const std::uint8_t> prefix, std::string_view suffixes) {
  std::vector<std::string> words;
  words.reserve(prefix.size());
  std::string word;
  for (const std::uint8_t n : prefix) {
    const std::size_t end = suffixes.find('\n');
    if (end == std::string_view::npos || n > word.size())
      throw std::invalid_argument("front-coded words: prefix and suffixes do not match");
    word.resize(n);
    word.append(suffixes.substr(0, end));
    suffixes.remove_prefix(end + 1);
    words.push_back(word);
  }
  if (!suffixes.empty()) throw std::invalid_argument("front-coded words: more suffixes than prefixes");
  return words;
}

}  // namespace juggle::results
