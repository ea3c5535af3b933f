#include "gen/text_writer.hpp"

#include <algorithm>
#include <cctype>

namespace juggle::gen {
namespace {
constexpr const char* kLeftQuote = "\xE2\x80\x9C";   // U+201C
constexpr const char* kRightQuote = "\xE2\x80\x9D";  // U+201D
constexpr const char* kApostrophe = "\xE2\x80\x99";  // U+2019
constexpr const char* kEmDash = "\xE2\x80\x94";      // U+2014
}  // namespace

TextWriter::TextWriter(const Vocabulary& vocabulary, std::uint64_t seed, std::uint64_t stream)
    : vocabulary_(vocabulary), rng_(seed, stream) {}

void TextWriter::append_word(std::string& out, bool capital) {
  const std::string& w = vocabulary_.word(vocabulary_.sample(rng_));
  const std::size_t start = out.size();
  out += w;
  if (capital && std::islower(static_cast<unsigned char>(out[start])))
    out[start] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[start])));
  const std::uint64_t r = rng_.below(1000);
  if (r < 6) {
    out += "'s";
  } else if (r < 10) {
    out += kApostrophe;
    out += 's';
  }
}

void TextWriter::append_line(std::string& out, std::uint64_t room) {
  constexpr std::uint64_t kBytesPerWord = 8;  // a generous mean, punctuation included
  const std::uint64_t kind = rng_.below(1000);
  std::uint64_t words = 0;
  if (kind < 40) {
    words = 0;  // blank line
  } else if (kind < 42 && room / kBytesPerWord >= 2000) {
    // A very long line (paragraph without breaks), cut to what the file has room for.
    words = std::min<std::uint64_t>(rng_.between(2000, 12000), room / kBytesPerWord);
  } else {
    words = rng_.between(3, 16);
  }
  bool sentence_start = true;
  bool quoted = false;
  for (std::uint64_t i = 0; i < words; ++i) {
    if (i > 0) out += ' ';
    const std::uint64_t r = rng_.below(1000);
    if (r < 8 && !quoted) {
      out += kLeftQuote;
      quoted = true;
    }
    append_word(out, sentence_start);
    sentence_start = false;
    const std::uint64_t p = rng_.below(1000);
    if (p < 60) {
      out += ',';
    } else if (p < 100) {
      out += '.';
      sentence_start = true;
    } else if (p < 104) {
      out += ';';
    } else if (p < 108) {
      out += '?';
      sentence_start = true;
    } else if (p < 111) {
      out += ' ';
      out += kEmDash;
    }
    if (quoted && rng_.below(6) == 0) {
      out += kRightQuote;
      quoted = false;
    }
  }
  if (quoted) out += kRightQuote;
  if (words > 0 && !sentence_start) out += '.';
  out += '\n';
}

}  // namespace juggle::gen
