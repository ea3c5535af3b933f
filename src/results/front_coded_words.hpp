// The vocabulary's words, front-coded: for each word, how many leading
// bytes it shares with the word before it, and the rest of it as a line of
// text. Two 1-D uint8 datasets, /tokenize/word_prefix and
// /tokenize/word_suffixes, that deflate compresses well.
//
// Why not a column of strings: variable-length strings live in HDF5's
// global heap, which no filter reaches (the vocabulary of 21k words made a
// 1.15 MB file); fixed-width cells compress, but each row's padding costs
// deflate a match of its own (the words came out 26% larger than the word
// list gzip'd); the plain list, one word a line, compresses only as well as
// gzip does, which leaves nothing for the rest of the file. The vocabulary
// is ordered by count, then by bytes, so most of it is runs of words in
// byte order (every word seen once, every word seen twice, ...), where
// neighbours share their beginnings; sharing them made the compressed
// words 9% (the default input) to 17% (the Gutenberg books) smaller.
//
// A prefix ends on a character boundary, so every suffix is whole UTF-8
// characters, and is at most 255 bytes. Reading it back (h5py):
//   prefix = h5["tokenize/word_prefix"][:]
//   suffixes = h5["tokenize/word_suffixes"][:].tobytes().split(b"\n")[:-1]
//   words, word = [], b""
//   for n, rest in zip(prefix, suffixes):
//       word = word[:n] + rest
//       words.append(word.decode())
// Words never hold a '\n' (a newline separates words).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace juggle::results {

struct FrontCodedWords {
  std::vector<std::uint8_t> prefix;  // bytes shared with the word before (0 for the first)
  std::string suffixes;              // the rest of each word, each followed by '\n'
};

// Throws std::invalid_argument if a word holds a '\n' (it would read back as two).
[[nodiscard]] FrontCodedWords front_code(std::span<const std::string> words);
// The same for rows that follow `before` (the last word of the rows ahead,
// "" for none): a rank codes its own rows of the vocabulary with it, and
// the ranks' codes, concatenated, are the code of the whole.
[[nodiscard]] FrontCodedWords front_code(std::span<const std::string_view> words, std::string_view before);

// The words back; throws std::invalid_argument when `coded` is not a front_code() result.
[[nodiscard]] std::vector<std::string> front_decode(std::span<const std::uint8_t> prefix, std::string_view suffixes);

}  // namespace juggle::results
