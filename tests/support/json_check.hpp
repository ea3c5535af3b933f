// A strict JSON validator (RFC 8259) for tests of what juggle writes: one
// value, then only whitespace; strings of valid UTF-8 with valid escapes;
// numbers in JSON's grammar (no nan, inf or leading '+'). Python's json
// module would accept NaN and Infinity; pandas and jq would not. It can
// also list every scalar value with the key it is under, so a test can see
// which values are numbers and which are strings.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tokenize/utf8.hpp"

namespace juggle::test {

// A scalar of a document: the key of the object member it is (or is in an
// array of; empty at the top), its kind, and its text as written (a
// string's without the quotes, escapes kept).
struct JsonScalar {
  enum class Kind : std::uint8_t { string, number, literal };  // literal: true, false, null
  std::string key;
  Kind kind;
  std::string text;
};

class JsonCheck {
 public:
  // True if `text` is exactly one JSON value.
  static bool valid(std::string_view text) { return valid(text, nullptr); }

  // The same, listing the document's scalars into `scalars` in order.
  static bool valid(std::string_view text, std::vector<JsonScalar>* scalars) {
    JsonCheck c(text, scalars);
    return c.value(0) && (c.space(), c.at_ == c.text_.size());
  }

  // True if `text` is a JSON number and nothing else ("3", "-0.5e3"; not "3 ", "03", "nan").
  static bool number_text(std::string_view text) {
    JsonCheck c(text, nullptr);
    return !text.empty() && c.number() && c.at_ == text.size();
  }

 private:
  JsonCheck(std::string_view text, std::vector<JsonScalar>* scalars) : text_(text), scalars_(scalars) {}

  bool scalar(JsonScalar::Kind kind, std::size_t from, bool ok) {
    if (ok && scalars_) {
      const bool quoted = kind == JsonScalar::Kind::string;
      scalars_->push_back({key_, kind, std::string(text_.substr(from + quoted, at_ - from - 2 * quoted))});
    }
    return ok;
  }

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
    const std::size_t from = at_;
    switch (peek()) {
      case '{': {
        const std::string outer = key_;
        const bool ok = sequence('}', [&] {
          const std::size_t key_from = at_;
          if (!string()) return false;
          key_ = std::string(text_.substr(key_from + 1, at_ - key_from - 2));
          space();
          if (peek() != ':') return false;
          ++at_;
          return value(depth + 1);
        });
        key_ = outer;
        return ok;
      }
      case '[': return sequence(']', [&] { return value(depth + 1); });
      case '"': return scalar(JsonScalar::Kind::string, from, string());
      case 't': return scalar(JsonScalar::Kind::literal, from, literal("true"));
      case 'f': return scalar(JsonScalar::Kind::literal, from, literal("false"));
      case 'n': return scalar(JsonScalar::Kind::literal, from, literal("null"));
      default: return scalar(JsonScalar::Kind::number, from, number());
    }
  }

  std::string_view text_;
  std::vector<JsonScalar>* scalars_ = nullptr;
  std::string key_;
  std::size_t at_ = 0;
};

}  // namespace juggle::test
