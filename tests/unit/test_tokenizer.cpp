#include <catch2/catch.hpp>

#include <unistd.h>

#include <cctype>
#include <fstream>
#include <map>
#include <random>

#include "gzip_fixtures.hpp"
#include "temp_dir.hpp"
#include "tokenize/byte_masks.hpp"
#include "tokenize/piece_reader.hpp"
#include "tokenize/text_sink.hpp"
#include "tokenize/tokenizer.hpp"
#include "tokenize/vocabulary.hpp"

using namespace juggle::tokenize;

namespace {

using Sorted = std::map<std::string, std::uint64_t>;

Sorted sorted(const WordCounts& c) { return Sorted(c.begin(), c.end()); }

Sorted words_of(std::string_view text, TokenizeOptions options = {}) {
  WordCounts counts;
  WordCache cache(counts);
  Tokenizer t(options, cache);
  t.piece({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
  t.flush();
  return sorted(counts);
}

// Feeds the text through a TextSink in chunks of `chunk` bytes.
std::pair<Sorted, TokenStats> streamed(std::string_view text, std::size_t chunk, TokenizeOptions options = {}) {
  WordCounts counts;
  WordCache cache(counts);
  Tokenizer t(options, cache);
  TextSink sink(t);
  for (std::size_t at = 0; at < text.size(); at += chunk) {
    const std::size_t n = std::min(chunk, text.size() - at);
    sink.consume({reinterpret_cast<const std::uint8_t*>(text.data()) + at, n});
  }
  sink.finish();
  return {sorted(counts), t.stats()};
}

}  // namespace

TEST_CASE("the word rule on tricky strings", "[tokenize][rule]") {
  struct Case {
    const char* text;
    Sorted words;
  };
  const Case cases[] = {
      {"Hello, world! HELLO", {{"hello", 2}, {"world", 1}}},
      {"don't don\xE2\x80\x99t DON'T", {{"don't", 3}}},                        // U+2019 normalised to '
      {"'quoted' rock'n'roll 'tis o'", {{"quoted", 1}, {"rock'n'roll", 1}, {"tis", 1}, {"o", 1}}},
      {"\xE2\x80\x9C" "Curly\xE2\x80\x9D quotes", {{"curly", 1}, {"quotes", 1}}},  // U+201C/D separate
      {"well\xE2\x80\x94known self-made", {{"well", 1}, {"known", 1}, {"self", 1}, {"made", 1}}},  // em dash, hyphen
      {"Caf\xC3\xA9 CAF\xC3\x89 na\xC3\xAFve", {{"caf\xC3\xA9", 2}, {"na\xC3\xAFve", 1}}},
      {"cafe\xCC\x81 \xCC\x81x", {{"cafe\xCC\x81", 1}, {"x", 1}}},              // combining acute: inside a word only
      {"abc123 4,567 3.14 \xD9\xA1\xD9\xA2", {{"abc123", 1}, {"4", 1}, {"567", 1}, {"3", 1}, {"14", 1}, {"\xD9\xA1\xD9\xA2", 1}}},
      {"\xE4\xB8\xAD\xE6\x96\x87 \xE4\xB8\xAD\xE6\x96\x87", {{"\xE4\xB8\xAD\xE6\x96\x87", 2}}},  // CJK letters (Lo)
      {"\xEF\xBB\xBFstart", {{"start", 1}}},                                     // BOM separates
      {"\xCE\xA3\xCE\x99\xCE\xA3 \xCF\x83\xCE\xB9\xCF\x82", {{"\xCF\x83\xCE\xB9\xCF\x83", 2}}},  // ΣΙΣ = σις (final sigma folds)
      {"Stra\xC3\x9F" "e STRASSE", {{"stra\xC3\x9F" "e", 1}, {"strasse", 1}}},   // simple folding keeps ß
      {"snake_case x__y", {{"snake", 1}, {"case", 1}, {"x", 1}, {"y", 1}}},
      {"", {}},
      {"  \n\t ", {}},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    CHECK(words_of(c.text) == c.words);
  }
}

TEST_CASE("invalid UTF-8 bytes separate words and are counted", "[tokenize][rule]") {
  WordCounts counts;
  WordCache cache(counts);
  Tokenizer t({}, cache);
  const std::string text = "ab\xFF" "cd \xC3 e \xE2\x80 f \xED\xA0\x80 g \xC0\xAF h \xF4\x90\x80\x80 i";
  t.piece({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
  t.flush();
  CHECK(sorted(counts) == Sorted{{"ab", 1}, {"cd", 1}, {"e", 1}, {"f", 1}, {"g", 1}, {"h", 1}, {"i", 1}});
  // FF; C3; E2 80; ED A0 80 (surrogate); C0 AF (overlong); F4 90 80 80 (> U+10FFFF)
  CHECK(t.stats().invalid_bytes == 1 + 1 + 2 + 3 + 2 + 4);
  CHECK(t.stats().words == 7);
}

TEST_CASE("NUL and other control bytes separate words", "[tokenize][rule]") {
  const std::string text("nul\0byte\x01" "ctl\x7f" " del\0\0", 20);
  CHECK(words_of(text) == Sorted{{"byte", 1}, {"ctl", 1}, {"del", 1}, {"nul", 1}});
  for (std::size_t chunk : {std::size_t{1}, std::size_t{3}}) CHECK(streamed(text, chunk).first == words_of(text));
}

TEST_CASE("no folding and the ASCII-only mode", "[tokenize][rule]") {
  TokenizeOptions keep;
  keep.fold = false;
  CHECK(words_of("The the THE", keep) == Sorted{{"The", 1}, {"the", 1}, {"THE", 1}});
  TokenizeOptions ascii;
  ascii.ascii_only = true;
  CHECK(words_of("Caf\xC3\xA9s don\xE2\x80\x99t don't \xE4\xB8\xAD", ascii) ==
        Sorted{{"cafs", 1}, {"dont", 1}, {"don't", 1}});
  CHECK(words_of("a'\xC3\xA9" "b x'\xC3\xA9", ascii) == Sorted{{"a'b", 1}, {"x", 1}});
}

TEST_CASE("any chunking of a stream gives the same counts", "[tokenize][stream]") {
  const std::string text = juggle::test::sample_text(40000, 3) +
                           "Caf\xC3\xA9 don\xE2\x80\x99t \xE4\xB8\xAD\xE6\x96\x87 cafe\xCC\x81 \xFF\xFE end'";
  for (const bool ascii : {false, true}) {
    TokenizeOptions o;
    o.ascii_only = ascii;
    const auto whole = streamed(text, text.size(), o);
    for (const std::size_t chunk : {1, 2, 3, 5, 7, 64, 4096}) {
      INFO("chunk " << chunk << " ascii " << ascii);
      const auto parts = streamed(text, chunk, o);
      CHECK(parts.first == whole.first);
      CHECK(parts.second.words == whole.second.words);
      CHECK(parts.second.bytes == text.size());
      CHECK(parts.second.invalid_bytes == whole.second.invalid_bytes);
    }
  }
}

TEST_CASE("runs of any length across the 64-byte mask views follow the word rule", "[tokenize][masks]") {
  // Words and gaps of 1..100 bytes, so runs start anywhere in a view, end
  // exactly at its edge or go on past it. The reference is the rule for
  // ASCII written out byte by byte: letters and digits, folded, joined by an
  // apostrophe only between two of them.
  const auto is_word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  const auto reference = [&](const std::string& text) {
    Sorted counts;
    std::string word;
    for (std::size_t i = 0; i <= text.size(); ++i) {
      const char c = i < text.size() ? text[i] : ' ';
      if (is_word(c)) {
        word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      } else if (c == '\'' && !word.empty() && i + 1 < text.size() && is_word(text[i + 1])) {
        word += c;
      } else if (!word.empty()) {
        ++counts[word];
        word.clear();
      }
    }
    return counts;
  };
  std::mt19937 rng(7);
  const std::string word_bytes = "abcXYZ019", gap_bytes = " \n.,;-\t";
  for (int round = 0; round < 20; ++round) {
    std::string text;
    bool in_word = round % 2 == 0;
    while (text.size() < 20000) {
      const auto len = 1 + rng() % (rng() % 4 == 0 ? 100 : 12);
      const std::string& from = in_word ? word_bytes : gap_bytes;
      for (std::size_t i = 0; i < len; ++i) text += from[rng() % from.size()];
      if (in_word && rng() % 8 == 0) text += rng() % 2 ? "'s" : "'";
      in_word = !in_word;
    }
    INFO("round " << round);
    CHECK(words_of(text) == reference(text));
  }
}

TEST_CASE("byte ranges of a file add up to the whole, wherever they are cut", "[tokenize][ranges]") {
  juggle::test::TempDir tmp;
  const std::string path = (tmp.path() / "book.txt").string();
  std::string text = juggle::test::sample_text(50000, 9);
  text += "\xE2\x80\x9Cquote\xE2\x80\x9D don\xE2\x80\x99t na\xC3\xAFve " + std::string(3000, 'x') + " tail";
  std::ofstream(path, std::ios::binary) << text;
  juggle::gzip::GzipWorkspace ws(juggle::gzip::default_backend(), 97, 1000);  // tiny read buffer
  WordCounts whole;
  const PieceResult all = tokenize_piece({path, 0, UINT64_MAX, true}, ws, {}, whole);
  REQUIRE(all.decode.status == juggle::gzip::GzipStatus::ok);
  CHECK_FALSE(all.gzip);
  CHECK(all.text.bytes == text.size());
  std::mt19937_64 rng(5);
  for (int trial = 0; trial < 40; ++trial) {
    std::vector<std::uint64_t> cuts{0};
    const int n = 1 + static_cast<int>(rng() % 12);
    for (int i = 0; i < n; ++i) cuts.push_back(rng() % text.size());
    if (trial == 0) cuts.push_back(text.size() - 3010);  // inside the long run of x
    cuts.push_back(text.size());
    std::sort(cuts.begin(), cuts.end());
    WordCounts parts;
    std::uint64_t bytes = 0;
    for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
      const PieceResult r = tokenize_piece({path, cuts[i], cuts[i + 1], false}, ws, {}, parts);
      REQUIRE(r.decode.status == juggle::gzip::GzipStatus::ok);
      bytes += r.text.bytes;
    }
    CHECK(bytes == text.size());
    CHECK(sorted(parts) == sorted(whole));
  }
}

TEST_CASE("gzip files are detected by magic and decoded whole", "[tokenize][ranges]") {
  juggle::test::TempDir tmp;
  const std::string path = (tmp.path() / "x.data").string();
  const auto gz = juggle::test::gzip_member("one two two three three three\n");
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(gz.data()), static_cast<std::streamsize>(gz.size()));
  CHECK(file_is_gzip(path));
  juggle::gzip::GzipWorkspace ws(juggle::gzip::default_backend());
  WordCounts counts;
  const PieceResult r = tokenize_piece({path, 0, UINT64_MAX, true}, ws, {}, counts);
  CHECK(r.gzip);
  CHECK(r.decode.status == juggle::gzip::GzipStatus::ok);
  CHECK(sorted(counts) == Sorted{{"one", 1}, {"two", 2}, {"three", 3}});
  WordCounts none;
  const PieceResult missing = tokenize_piece({(tmp.path() / "nope").string(), 0, UINT64_MAX, true}, ws, {}, none);
  CHECK(missing.decode.status == juggle::gzip::GzipStatus::read_error);
  CHECK_FALSE(file_is_gzip((tmp.path() / "nope").string()));
}

TEST_CASE("a stream (standard input) tokenizes as the same data read from a file", "[tokenize][stream]") {
  // Through a pipe, which cannot seek: gzip is told by the first two bytes, which are handed on.
  const auto through_pipe = [](const std::string& data) {
    int ends[2];
    REQUIRE(::pipe(ends) == 0);
    REQUIRE(data.size() < 65536);  // fits the pipe: written whole before it is read
    REQUIRE(::write(ends[1], data.data(), data.size()) == static_cast<ssize_t>(data.size()));
    ::close(ends[1]);
    juggle::gzip::GzipWorkspace ws(juggle::gzip::default_backend(), 97, 1000);  // tiny buffers
    WordCounts counts;
    WordCache cache(counts);
    const PieceResult r = tokenize_stream(ends[0], ws, {}, cache);
    ::close(ends[0]);
    CHECK(r.decode.status == juggle::gzip::GzipStatus::ok);
    return std::make_pair(r, sorted(counts));
  };
  const std::string text = juggle::test::sample_text(20000, 4);
  const auto gz = juggle::test::concat({juggle::test::gzip_member(text.substr(0, 7000)),
                                        juggle::test::gzip_member(text.substr(7000))});
  const auto [plain, plain_words] = through_pipe(text);
  const auto [packed, packed_words] = through_pipe(std::string(gz.begin(), gz.end()));
  CHECK_FALSE(plain.gzip);
  CHECK(packed.gzip);
  CHECK(plain.text.bytes == text.size());
  CHECK(packed.text.bytes == text.size());
  CHECK(plain_words == packed_words);
  CHECK(plain_words == words_of(text));
  const auto [one_byte, one_word] = through_pipe("a");  // shorter than the magic
  CHECK((!one_byte.gzip && one_word == Sorted{{"a", 1}}));
  CHECK(through_pipe("").second.empty());
}

TEST_CASE("shards and lists round-trip, and the report order is total", "[tokenize][vocabulary]") {
  WordCounts counts{{"b", 2}, {"a", 2}, {"c", 5}, {"d", 1}, {"\xC3\xA9t\xC3\xA9", 3}};
  WordCounts back;
  for (const auto& shard : encode_shards(counts, 3)) decode_add(shard, back);
  CHECK(sorted(back) == sorted(counts));
  const auto top = top_words(counts, 3);
  REQUIRE(top.size() == 3);
  CHECK(top[0].word == "c");
  CHECK(top[1].word == "\xC3\xA9t\xC3\xA9");
  CHECK(top[2].word == "a");  // tie with b: bytes decide
  const auto list = decode_list(encode_list(top));
  REQUIRE(list.size() == 3);
  CHECK(list[2].word == "a");
  CHECK(stable_word_hash("word") == stable_word_hash(std::string("word")));
  const std::vector<char> broken{5, 0, 0, 0, 'x'};
  CHECK_THROWS(decode_add(broken, back));
}

TEST_CASE("the word cache never changes counts: evictions, long words, flushes", "[tokenize][cache]") {
  // 150,000 distinct words (more than the cache's 65,536 slots) drawn
  // unevenly, of 1 to 40 bytes (some longer than a cache key), with flushes
  // between.
  std::mt19937_64 rng(7);
  std::vector<std::string> vocabulary;
  for (int i = 0; i < 150000; ++i) {
    std::string w(1 + rng() % 40, 'a');
    for (char& c : w) c = static_cast<char>('a' + rng() % 26);
    vocabulary.push_back(w);
  }
  WordCounts counts;
  WordCache cache(counts);
  std::map<std::string, std::uint64_t> expected;
  for (int i = 0; i < 300000; ++i) {
    const std::size_t pick = (rng() % 8 == 0) ? rng() % vocabulary.size() : rng() % 50;  // a hot head, a long tail
    const std::string& w = vocabulary[pick];
    cache.add(w.data(), w.size());
    ++expected[w];
    if (i % 100000 == 99999) cache.flush();
  }
  cache.flush();
  CHECK(sorted(counts) == expected);
  cache.flush();  // flushing twice adds nothing
  CHECK(sorted(counts) == expected);
}

TEST_CASE("holding mode: the committed map is exactly the committed pieces' words", "[tokenize][cache]") {
  // Pieces of random words (a vocabulary larger than the cache, a hot head,
  // keys loaded both ways) are committed or discarded at random, as a
  // worker's pieces succeed or fail; cached counts stay cached between them.
  std::mt19937_64 rng(11);
  std::vector<std::string> vocabulary;
  for (int i = 0; i < 150000; ++i) {
    std::string w(1 + rng() % 30, 'a');
    for (char& c : w) c = "abcdefghijklmnopqrstuvwxyz0123"[rng() % 30];
    vocabulary.push_back(w);
  }
  WordCounts piece, committed;
  WordCache cache(piece);
  cache.hold(committed);
  std::map<std::string, std::uint64_t> expected;
  for (int p = 0; p < 120; ++p) {
    std::map<std::string, std::uint64_t> mine;
    const int words = p % 7 == 0 ? 3 : 5000 + static_cast<int>(rng() % 20000);
    for (int k = 0; k < words; ++k) {
      const std::size_t pick = (rng() % 4 == 0) ? rng() % vocabulary.size() : rng() % 200;
      const std::string& w = vocabulary[pick];
      std::string padded = w + std::string(WordCache::kMaxWord, 'x');  // readable past the word
      cache.add(padded.data(), w.size(), k % 2 == 0);
      ++mine[w];
    }
    cache.flush();  // holding: the words still waiting are counted, nothing leaves the cache
    if (rng() % 4 != 0) {
      cache.commit();
      merge_into(committed, piece);
      for (const auto& [w, c] : mine) expected[w] += c;
    } else {
      cache.discard();
    }
    piece.clear();
  }
  cache.release();
  CHECK(piece.empty());  // nothing uncommitted was left behind
  CHECK(sorted(committed) == expected);
}

TEST_CASE("byte class masks: the CPU's version equals the scalar one on every byte", "[tokenize][masks]") {
  std::mt19937_64 rng(11);
  std::vector<std::uint8_t> text(64 * 64);
  for (std::size_t i = 0; i < 256; ++i) text[i] = static_cast<std::uint8_t>(i);  // every value, 4 blocks
  for (std::size_t i = 256; i < text.size(); ++i) {
    // Mostly text-like bytes, so runs of every length occur.
    const auto r = rng() % 10;
    text[i] = r < 6 ? static_cast<std::uint8_t>('a' + rng() % 26) : r < 8 ? ' ' : static_cast<std::uint8_t>(rng());
  }
  const ByteMasksFn fast = byte_masks_function();
  for (std::size_t at = 0; at + 64 <= text.size(); at += 7) {
    const ByteMasks a = fast(text.data() + at);
    const ByteMasks b = byte_masks_scalar(text.data() + at);
    CHECK(a.word == b.word);
    CHECK(a.separator == b.separator);
    for (unsigned i = 0; i < 64; ++i) {
      const std::uint8_t c = text[at + i];
      CHECK(((b.separator >> i) & 1) == (is_split_byte(c) ? 1u : 0u));
    }
  }
}
