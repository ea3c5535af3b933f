#include "tokenize/tokenizer.hpp"

#include <array>
#include <bit>
#include <cstring>

#include "tokenize/byte_masks.hpp"
#include "tokenize/char_class.hpp"
#include "tokenize/utf8.hpp"

namespace juggle::tokenize {
namespace {

// Every byte's class for the fast path, and its ASCII fold.
enum ByteClass : std::uint8_t { kSeparator = 0, kWord = 1, kApostrophe = 2, kNonAscii = 3 };

struct ByteTable {
  std::array<std::uint8_t, 256> cls{};
  std::array<char, 256> lower{};
  std::array<char, 256> same{};
  constexpr ByteTable() {
    for (int b = 0; b < 256; ++b) {
      const bool upper = b >= 'A' && b <= 'Z';
      const bool alnum = upper || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9');
      cls[b] = b >= 0x80 ? kNonAscii : alnum ? kWord : b == '\'' ? kApostrophe : kSeparator;
      lower[b] = static_cast<char>(upper ? b + 32 : b);
      same[b] = static_cast<char>(b);
    }
  }
};
constexpr ByteTable kBytes;

bool word_char(CharKind k) noexcept { return k == CharKind::letter || k == CharKind::digit; }

// Is the code point at p a letter or digit? (The apostrophe's look-ahead.)
bool starts_word(const std::uint8_t* p, const std::uint8_t* end) noexcept {
  if (p >= end) return false;
  if (*p < 0x80) return kBytes.cls[*p] == kWord;
  const Decoded d = decode_utf8(p, end);
  return d.length != 0 && word_char(classify(d.cp).kind);
}

// ASCII mode: the next byte that survives deletion of bytes >= 0x80.
bool starts_ascii_word(const std::uint8_t* p, const std::uint8_t* end) noexcept {
  while (p < end && *p >= 0x80) ++p;
  return p < end && kBytes.cls[*p] == kWord;
}

}  // namespace

Tokenizer::Tokenizer(const TokenizeOptions& options, WordCache& cache)
    : options_(options), cache_(cache), masks_(byte_masks_function()) {}

void WordBuffer::grow(std::size_t need) {
  std::size_t capacity = capacity_ * 2;
  while (capacity < need) capacity *= 2;
  auto bigger = std::make_unique<char[]>(capacity);
  std::memcpy(bigger.get(), data_.get(), size_);
  data_ = std::move(bigger);
  capacity_ = capacity;
}

void Tokenizer::end_word() {
  if (word_.empty()) return;
  cache_.add(word_.data(), word_.size(), word_.capacity() >= WordCache::kMaxWord);
  ++stats_.words;
  word_.clear();
}

void Tokenizer::piece(std::span<const std::uint8_t> text) {
  stats_.bytes += text.size();
  masks_.reset();
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
  const std::array<char, 256>& ascii_map = fold ? kBytes.lower : kBytes.same;
  while (p < end) {
    const std::uint8_t cls = kBytes.cls[*p];
    if (cls == kWord) {  // fast path: a run of ASCII letters and digits
      // Where the run ends: with 64 bytes at hand, one mask and a count of
      // trailing zeros instead of a loop whose exit is mispredicted once
      // per word; the mask also tells what follows the run.
      const std::uint8_t* q = p + 1;
      bool masked = false;
      std::uint64_t split_after = 0;  // masked: bit i set when q[i] is a split byte
      if (end - p >= 64) {
        MaskWindow::View m = masks_.at(p);
        int n = std::countr_zero(~m.word);  // bit 0 is clear: *p is a word byte
        if (n == m.valid && n < 64) {      // the run goes on past this view
          m = masks_.fresh(p);
          n = std::countr_zero(~m.word);
        }
        if (n < 64) {
          q = p + n;
          split_after = m.separator >> n;  // bit 0 is q[0]: n < m.valid
          masked = true;
        } else {
          q = p + 64;
        }
      }
      if (!masked)
        while (q < end && kBytes.cls[*q] == kWord) ++q;
      const auto n = static_cast<std::size_t>(q - p);
      const bool split_next = masked ? (split_after & 1) != 0 : q == end || kBytes.cls[*q] == kSeparator;
      // The common case: the whole word is this run (nothing before it in
      // the buffer, a split byte or the piece's end after it) and short:
      // count it straight from the input, and skip the split bytes after it.
      if (word_.empty() && split_next && n <= WordCache::kMaxWord &&
          end - p >= static_cast<std::ptrdiff_t>(WordCache::kMaxWord)) {
        cache_.add_ascii(p, n, fold);
        ++stats_.words;
        p = masked ? q + std::countr_zero(~split_after) : q;  // at most to the view's end
        continue;
      }
      char* out = word_.extend(n);  // folded as copied
      for (; p < q; ++p) *out++ = ascii_map[*p];
      continue;
    }
    if (cls == kSeparator) {
      end_word();
      if (end - p >= 64) {
        p += std::countr_zero(~masks_.at(p).separator);  // bit 0 is set: at least 1, at most the view
        continue;
      }
      for (++p; p < end && kBytes.cls[*p] == kSeparator; ++p) {
      }
      continue;
    }
    if (cls == kApostrophe) {
      if (!word_.empty() && starts_word(p + 1, end))
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
    const std::uint8_t cls = kBytes.cls[b];
    if (cls == kNonAscii) continue;  // deleted before splitting
    if (cls == kWord)
      word_.push_back(fold ? kBytes.lower[b] : static_cast<char>(b));
    else if (cls == kApostrophe && !word_.empty() && starts_ascii_word(p + 1, end))
      word_.push_back('\'');
    else
      end_word();
  }
}

}  // namespace juggle::tokenize
