// Text blocks (src/pipeline/text_blocks.hpp): whatever blocks the decoder's
// helpers take and whenever, the decoder's words plus its helpers' are
// exactly the words of the whole text read in one pass; blocks never left
// untaken are taken back; the helpers' stats come back at close(), and the
// verdict is kept.
#include <catch2/catch.hpp>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "gzip_fixtures.hpp"
#include "pipeline/text_blocks.hpp"
#include "tokenize/word_cache.hpp"

using namespace juggle;
using pipeline::Piece;
using pipeline::TextBlocks;

namespace {

std::map<std::string, std::uint64_t> sorted(const tokenize::WordCounts& c) {
  return {c.begin(), c.end()};
}

}  // namespace

TEST_CASE("text blocks: decoder and helpers together count the whole text once", "[pipeline][text_blocks]") {
  std::string text = test::sample_text(6 << 20, 3);
  text += std::string(3 << 20, 'w') + " end";  // a block that can only be cut after a long run
  tokenize::WordCounts whole;
  {
    tokenize::WordCache cache(whole);
    tokenize::Tokenizer t({}, cache);
    t.piece({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
    t.flush();
  }
  for (const int helpers : {1, 3}) {
    for (const unsigned seed : {1u, 2u, 3u}) {
      INFO("helpers " << helpers << ", seed " << seed);
      std::mt19937 rng(seed);
      TextBlocks blocks(helpers);
      std::vector<Piece> tickets;
      blocks.attach(pipeline::Emit([&](std::vector<Piece> p) { tickets.insert(tickets.end(), p.begin(), p.end()); }));
      tokenize::WordCounts mine, helped;
      tokenize::WordCache my_cache(mine), helper_cache(helped);
      tokenize::Tokenizer decoder({}, my_cache);
      tokenize::TokenStats helper_stats;
      pipeline::BlockSink sink(blocks, 7, decoder);
      std::size_t at = 0;
      while (at < text.size()) {
        const std::size_t n = std::min<std::size_t>(text.size() - at, 1 + rng() % (300 << 10));
        sink.consume({reinterpret_cast<const std::uint8_t*>(text.data()) + at, n});
        at += n;
        // A helper takes some of the queued tickets, now or never.
        while (!tickets.empty() && rng() % 3 != 0) {
          const Piece ticket = tickets.front();
          tickets.erase(tickets.begin());
          CHECK((ticket.flags & pipeline::kTextBlock) != 0);
          CHECK((ticket.flags & pipeline::kStayOnRank) != 0);
          if (std::optional<TextBlocks::Block> b = blocks.take(ticket.begin)) {
            CHECK(b->file == 7);
            tokenize::Tokenizer t({}, helper_cache);
            t.piece(b->text);
            helper_stats += t.stats();
            blocks.done(std::move(*b), t.stats());
          }
        }
      }
      sink.finish();
      for (const Piece& ticket : tickets) CHECK_FALSE(blocks.take(ticket.begin));  // all taken back
      const tokenize::TokenStats seen = blocks.close(7, true);
      CHECK(seen.words == helper_stats.words);
      CHECK(seen.bytes == helper_stats.bytes);
      CHECK(decoder.stats().bytes + seen.bytes == text.size());
      CHECK(blocks.verdict(7) == std::optional<bool>(true));
      CHECK_FALSE(blocks.verdict(8));
      my_cache.flush();
      helper_cache.flush();
      for (auto& [w, c] : helped) mine[w] += c;
      CHECK(sorted(mine) == sorted(whole));
    }
  }
}
