// Feeding a tokenizer from a stream that arrives in arbitrary chunks (read
// buffers, inflate output). Each chunk is cut at its last split byte; the
// tail is carried into the next chunk, so no word, multi-byte character or
// apostrophe look-ahead is ever cut. The carry holds at most one run of
// bytes without a split byte (in text: a fraction of a line).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "gzip/gzip_decoder.hpp"
#include "tokenize/tokenizer.hpp"

namespace juggle::tokenize {

class TextSink final : public gzip::OutputSink {
 public:
  explicit TextSink(Tokenizer& tokenizer) : tokenizer_(tokenizer) {}
  void consume(std::span<const std::uint8_t> bytes) override;
  // End of stream: tokenizes what is carried.
  void finish();

 private:
  Tokenizer& tokenizer_;
  std::vector<std::uint8_t> carry_;
};

}  // namespace juggle::tokenize
