#include "tokenize/char_class.hpp"

#include <utf8proc.h>

#include <array>
#include <memory>

namespace juggle::tokenize {
namespace {

constexpr char32_t kTableSize = 0x3400;

char32_t simple_fold(char32_t cp) noexcept {
  utf8proc_int32_t folded[4];
  int boundclass = 0;
  const utf8proc_ssize_t n = utf8proc_decompose_char(static_cast<utf8proc_int32_t>(cp), folded, 4,
                                                     UTF8PROC_CASEFOLD, &boundclass);
  if (n == 1) return static_cast<char32_t>(folded[0]);
  if (cp == 0x0130) return cp;  // İ: only full and Turkic folds exist
  return static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(cp)));
}

CharInfo lookup(char32_t cp) noexcept {
  CharInfo info;
  info.fold = cp;
  if (cp == 0x27 || cp == 0x2019) {
    info.kind = CharKind::apostrophe;
    return info;
  }
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
      info.kind = CharKind::letter;
      info.fold = simple_fold(cp);
      break;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME: info.kind = CharKind::mark; break;
    case UTF8PROC_CATEGORY_ND: info.kind = CharKind::digit; break;
    default: info.kind = CharKind::separator; break;
  }
  return info;
}

const std::array<CharInfo, kTableSize>& table() {
  static const auto built = [] {
    auto t = std::make_unique<std::array<CharInfo, kTableSize>>();
    for (char32_t cp = 0; cp < kTableSize; ++cp) (*t)[cp] = lookup(cp);
    return t;
  }();
  return *built;
}

}  // namespace

CharInfo classify(char32_t cp) noexcept { return cp < kTableSize ? table()[cp] : lookup(cp); }

}  // namespace juggle::tokenize
