// Fuzz target: the tokenizer (tokenize/tokenizer.hpp) on any bytes.
//
// The first byte picks the options (fold, ASCII mode) and how the rest is
// cut; the rest is the text. Properties: nothing crashes (the sanitizers),
// and the counts are the same whether the text is tokenized whole, fed
// through a TextSink in chunks of any size (how files and inflate output
// arrive), or cut into pieces at split bytes (how byte ranges are shared
// across ranks and threads) with one cache for all pieces. Words, distinct
// words, every count and the invalid-byte total must agree.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <span>
#include <string>

#include "tokenize/text_sink.hpp"
#include "tokenize/tokenizer.hpp"

using namespace juggle::tokenize;

namespace {

struct Outcome {
  std::map<std::string, std::uint64_t> counts;
  TokenStats stats;
};

// One map and cache per way of cutting, kept across inputs as a thread
// keeps them across pieces (a fresh 1 MiB cache per input made the target
// slow); each run leaves its map empty again.
struct Counter {
  WordCounts counts;
  WordCache cache{counts};
};

Outcome finish(Counter& c, const TokenStats& stats) {
  Outcome out{std::map<std::string, std::uint64_t>(c.counts.begin(), c.counts.end()), stats};
  c.counts.clear();
  return out;
}

Counter& counter(int which) {
  static Counter counters[4];
  return counters[which];
}

Outcome whole(std::span<const std::uint8_t> text, const TokenizeOptions& options) {
  Counter& c = counter(0);
  Tokenizer t(options, c.cache);
  t.piece(text);
  t.flush();
  return finish(c, t.stats());
}

Outcome chunked(std::span<const std::uint8_t> text, const TokenizeOptions& options, std::size_t chunk) {
  Counter& c = counter(chunk == 1 ? 1 : 2);
  Tokenizer t(options, c.cache);
  TextSink sink(t);
  for (std::size_t at = 0; at < text.size(); at += chunk) sink.consume(text.subspan(at, std::min(chunk, text.size() - at)));
  sink.finish();
  t.flush();
  return finish(c, t.stats());
}

// Nominal cuts every `step` bytes, each moved to the next split byte, as
// piece_reader.hpp widens byte ranges.
Outcome ranges(std::span<const std::uint8_t> text, const TokenizeOptions& options, std::size_t step) {
  Counter& c = counter(3);
  Tokenizer t(options, c.cache);
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t end = std::min(text.size(), begin + step);
    while (end < text.size() && !is_split_byte(text[end])) ++end;
    t.piece(text.subspan(begin, end - begin));
    begin = end;
  }
  t.flush();
  return finish(c, t.stats());
}

void same(const char* how, const Outcome& a, const Outcome& b) {
  if (a.counts == b.counts && a.stats.words == b.stats.words && a.stats.bytes == b.stats.bytes &&
      a.stats.invalid_bytes == b.stats.invalid_bytes)
    return;
  std::fprintf(stderr, "fuzz_tokenize: %s differs from whole: words %llu/%llu distinct %zu/%zu invalid %llu/%llu\n",
               how, static_cast<unsigned long long>(a.stats.words), static_cast<unsigned long long>(b.stats.words),
               a.counts.size(), b.counts.size(), static_cast<unsigned long long>(a.stats.invalid_bytes),
               static_cast<unsigned long long>(b.stats.invalid_bytes));
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  TokenizeOptions options;
  options.fold = (data[0] & 1) == 0;
  options.ascii_only = (data[0] & 2) != 0;
  const std::size_t step = 1 + (data[0] >> 2);  // 1..64
  const std::span<const std::uint8_t> text(data + 1, size - 1);
  std::uint64_t total = 0;
  const Outcome reference = whole(text, options);
  for (const auto& [word, n] : reference.counts) {
    if (word.empty() || n == 0) std::abort();  // no empty words, no zero counts
    total += n;
  }
  if (total != reference.stats.words) std::abort();
  same("chunks", chunked(text, options, step), reference);
  same("one-byte chunks", chunked(text, options, 1), reference);
  same("ranges", ranges(text, options, step), reference);
  return 0;
}
