#include "tokenize/tokenizer.hpp"

#include <array>

#include "tokenize/char_class.hpp"
#include "tokenize/utf8.hpp"

namespace juggle::tokenize {
namespace {

// ASCII bytes: 0 separator, 1 letter or digit, 2 apostrophe; the folded byte.
struct AsciiTable {
  std::array<std::uint8_t, 128> kind{};
  std::array<char, 128> lower{};
  constexpr AsciiTable() {
    for (int b = 0; b < 128; ++b) {
      const bool upper = b >= 'A' && b <= 'Z';
      const bool alnum = upper || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9');
      kind[b] = alnum ? 1 : (b == '\'' ? 2 : 0);
      lower[b] = static_cast<char>(upper ? b + 32 : b);
    }
  }
};
constexpr AsciiTable kAscii;

bool word_char(CharKind k) noexcept { return k == CharKind::letter || k == CharKind::digit; }

// Is the code point at p a letter or digit? (The apostrophe's look-ahead.)
bool starts_word(const std::uint8_t* p, const std::uint8_t* end) noexcept {
  if (p >= end) return false;
  if (*p < 0x80) return kAscii.kind[*p] == 1;
  const Decoded d = decode_utf8(p, end);
  return d.length != 0 && word_char(classify(d.cp).kind);
}

// ASCII mode: the next byte that survives deletion of bytes >= 0x80.
bool starts_ascii_word(const std::uint8_t* p, const std::uint8_t* end) noexcept {
  while (p < end && *p >= 0x80) ++p;
  return p < end && kAscii.kind[*p] == 1;
}

}  // namespace

void Tokenizer::end_word() {
  if (word_.empty()) return;
  ++counts_[word_];
  ++stats_.words;
  word_.clear();
}

void Tokenizer::piece(std::span<const std::uint8_t> text) {
  stats_.bytes += text.size();
  const std::uint8_t* p = text.data();
  const std::uint8_t* end = p + text.size();
  if (options_.ascii_only)
    piece_ascii_only(p, end);
  else
    piece_unicode(p, end);
  end_word();
}

void Tokenizer::piece_unicode(const std::uint8_t* p, const std::uint8_t* end) {
  const bool fold = options_.fold;
  while (p < end) {
    if (*p < 0x80) {
      // Fast path: a run of ASCII letters and digits.
      const std::uint8_t* q = p;
      while (q < end && *q < 0x80 && kAscii.kind[*q] == 1) ++q;
      if (q != p) {
        const std::size_t at = word_.size();
        word_.append(reinterpret_cast<const char*>(p), static_cast<std::size_t>(q - p));
        if (fold)
          for (std::size_t i = at; i < word_.size(); ++i) word_[i] = kAscii.lower[static_cast<std::uint8_t>(word_[i])];
        p = q;
        continue;
      }
      if (*p == '\'' && !word_.empty() && starts_word(p + 1, end))
        word_.push_back('\'');
      else
        end_word();
      ++p;
      continue;
    }
    const Decoded d = decode_utf8(p, end);
    if (d.length == 0) {
      ++stats_.invalid_bytes;
      end_word();
      ++p;
      continue;
    }
    const CharInfo c = classify(d.cp);
    switch (c.kind) {
      case CharKind::letter: append_utf8(word_, fold ? c.fold : d.cp); break;
      case CharKind::digit: append_utf8(word_, d.cp); break;
      case CharKind::mark:
        if (!word_.empty()) append_utf8(word_, d.cp);
        break;
      case CharKind::apostrophe:
        if (!word_.empty() && starts_word(p + d.length, end))
          word_.push_back('\'');
        else
          end_word();
        break;
      case CharKind::separator: end_word(); break;
    }
    p += d.length;
  }
}

void Tokenizer::piece_ascii_only(const std::uint8_t* p, const std::uint8_t* end) {
  const bool fold = options_.fold;
  for (; p < end; ++p) {
    const std::uint8_t b = *p;
    if (b >= 0x80) continue;  // deleted before splitting
    const std::uint8_t kind = kAscii.kind[b];
    if (kind == 1)
      word_.push_back(fold ? kAscii.lower[b] : static_cast<char>(b));
    else if (kind == 2 && !word_.empty() && starts_ascii_word(p + 1, end))
      word_.push_back('\'');
    else
      end_word();
  }
}

}  // namespace juggle::tokenize
