// A strict JSON validator (RFC 8259) for tests of what juggle writes: one
// value, then only whitespace; strings of valid UTF-8 with valid escapes;
// numbers in JSON's grammar (no nan, inf or leading '+'). Python's json
// module would accept NaN and Infinity; pandas and jq would not.
#pragma once

#include <cstdint>
#include <string_view>

#include "tokenize/utf8.hpp"

namespace juggle::test {

class JsonCheck {
 public:
  // True if `text` is exactly one JSON value.
  static bool valid(std::string_view text) {
    JsonCheck c(text);
    return c.value(0) && (c.space(), c.at_ == c.text_.size());
  }

 private:
  explicit JsonCheck(std::string_view text) : text_(text) {}

  [[nodiscard]] bool more() const { return at_ < text_.size(); }
  [[nodiscard]] char peek() const { return more() ? text_[at_] : '\0'; }
  void space() {
    while (more() && (peek() == ' ' || peek() == '\n' || peek() == '\r' || peek() == '\t')) ++at_;
  }
  bool literal(std::string_view word) {
    if (text_.substr(at_, word.size()) != word) return false;
    at_ += word.size();
    return true;
  }
  bool digits() {
    const std::size_t from = at_;
    while (more() && peek() >= '0' && peek() <= '9') ++at_;
    return at_ > from;
  }
  bool number() {
    if (peek() == '-') ++at_;
    if (peek() == '0') ++at_;
    else if (!digits()) return false;
    if (peek() == '.' && (++at_, !digits())) return false;
    if (peek() == 'e' || peek() == 'E') {
      ++at_;
      if (peek() == '+' || peek() == '-') ++at_;
      if (!digits()) return false;
    }
    return true;
  }
  bool string() {
    if (peek() != '"') return false;
    ++at_;
    while (more()) {
      const auto c = static_cast<unsigned char>(peek());
      if (c == '"') return ++at_, true;
      if (c < 0x20) return false;
      if (c == '\\') {
        ++at_;
        const char e = peek();
        if (e == 'u') {
          for (int i = 1; i <= 4; ++i) {
            const char h = at_ + i < text_.size() ? text_[at_ + i] : '\0';
            if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F'))) return false;
          }
          at_ += 5;
        } else if (std::string_view("\"\\/bfnrt").find(e) != std::string_view::npos && e != '\0') {
          ++at_;
        } else {
          return false;
        }
        continue;
      }
      const auto* p = reinterpret_cast<const std::uint8_t*>(text_.data()) + at_;
      const tokenize::Decoded d = tokenize::decode_utf8(p, reinterpret_cast<const std::uint8_t*>(text_.data()) + text_.size());
      if (d.length == 0) return false;
      at_ += d.length;
    }
    return false;
  }
  template <class Item>
  bool sequence(char close, Item item) {
    ++at_;
    space();
    if (peek() == close) return ++at_, true;
    for (;;) {
      space();
      if (!item()) return false;
      space();
      if (peek() == close) return ++at_, true;
      if (peek() != ',') return false;
      ++at_;
    }
  }
  bool value(int depth) {
    if (depth > 64) return false;
    space();
    switch (peek()) {
      case '{':
        return sequence('}', [&] {
          if (!string()) return false;
          space();
          if (peek() != ':') return false;
          ++at_;
          return value(depth + 1);
        });
      case '[': return sequence(']', [&] { return value(depth + 1); });
      case '"': return string();
      case 't': return literal("true");
      case 'f': return literal("false");
      case 'n': return literal("null");
      default: return number();
    }
  }

  std::string_view text_;
  std::size_t at_ = 0;
};

}  // namespace juggle::test
