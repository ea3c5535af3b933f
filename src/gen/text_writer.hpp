// Lines of synthetic prose: sentences of Zipf words with capitals,
// punctuation, curly quotes, apostrophes and dashes in plausible places,
// varied line lengths (blank lines, short lines, and now and then a line of
// tens of kilobytes that crosses any reader's buffer boundary).
#pragma once

#include <cstdint>
#include <string>

#include "gen/rng.hpp"
#include "gen/vocabulary.hpp"

namespace juggle::gen {

class TextWriter {
 public:
  TextWriter(const Vocabulary& vocabulary, std::uint64_t seed, std::uint64_t stream);
  // Appends one complete line, '\n' included, to `out`. A very long line is
  // only drawn while the file still wants at least `room` bytes that fit it,
  // so small files end near their planned size instead of one long line past.
  void append_line(std::string& out, std::uint64_t room);

 private:
  void append_word(std::string& out, bool capital);
  const Vocabulary& vocabulary_;
  Rng rng_;
};

}  // namespace juggle::gen
