// What a code point is to the word rule, and its case fold, from utf8proc's
// Unicode tables (no hand-written tables here).
//
//   letter     general category L* (Lu Ll Lt Lm Lo)
//   digit      Nd
//   mark       M* (Mn Mc Me): part of a word only inside one
//   apostrophe U+0027 and U+2019: part of a word only between word characters
//   separator  everything else (punctuation, symbols, spaces, controls, BOM)
//
// Folding is Unicode simple case folding: the one-code-point entries of the
// full folding (CaseFolding.txt status C), else the simple lowercase mapping
// (status S), except U+0130 which has no simple fold. A table for the first
// 0x3400 code points is built once; the rest are looked up in utf8proc.
#pragma once

#include <cstdint>

namespace juggle::tokenize {

enum class CharKind : std::uint8_t { separator, letter, digit, mark, apostrophe };

struct CharInfo {
  CharKind kind = CharKind::separator;
  char32_t fold = 0;
};

[[nodiscard]] CharInfo classify(char32_t cp) noexcept;

}  // namespace juggle::tokenize
