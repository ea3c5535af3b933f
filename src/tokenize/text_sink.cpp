#include "tokenize/text_sink.hpp"

#include <algorithm>

namespace juggle::tokenize {

void TextSink::consume(std::span<const std::uint8_t> bytes) {
  const auto last = std::find_if(bytes.rbegin(), bytes.rend(), is_split_byte);
  if (last == bytes.rend()) {
    carry_.insert(carry_.end(), bytes.begin(), bytes.end());
    return;
  }
  const std::size_t cut = static_cast<std::size_t>(bytes.rend() - last) - 1;  // index of the last split byte
  std::size_t from = 0;
  if (!carry_.empty()) {
    // Complete the carried piece up to the first split byte.
    const std::size_t first =
        static_cast<std::size_t>(std::find_if(bytes.begin(), bytes.end(), is_split_byte) - bytes.begin());
    carry_.insert(carry_.end(), bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(first));
    tokenizer_.piece(carry_);
    carry_.clear();
    from = first;
  }
  tokenizer_.piece(bytes.subspan(from, cut - from));
  carry_.assign(bytes.begin() + static_cast<std::ptrdiff_t>(cut), bytes.end());
}

void TextSink::finish() {
  if (!carry_.empty()) tokenizer_.piece(carry_);
  carry_.clear();
  tokenizer_.flush();  // the stream is over: every count into the map
}

}  // namespace juggle::tokenize
