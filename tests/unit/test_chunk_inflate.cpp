// Chunked decoding of one deflate stream (src/gzip/chunk_inflate.hpp): chunks
// decoded independently with markers, combined in order, equal the sequential
// decode exactly. These tests need ISA-L; built without it they are not
// registered (tests/CMakeLists.txt adds a visibly skipped entry instead).
#include <zlib.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <string>

#include "deflate_streams.hpp"
#include "gzip/chunk_inflate.hpp"
#include "gzip/deflate_block_finder.hpp"

#ifdef JUGGLE_HAVE_ISAL
#include <isa-l.h>
#endif

using namespace juggle::gzip;
using namespace juggle::test;

namespace {

struct Chunk {
  std::uint64_t start = 0;
  std::uint64_t stop = 0;  // kToFinalBlock for the last
  ChunkSummary summary;
};

struct Split {
  std::vector<Chunk> chunks;
  std::size_t rejected = 0;  // candidates the stop check turned down
};

// Splits at finder candidates about every `chunk_bytes` compressed bytes,
// confirming each by decoding the chunk before it (as a scheduler would).
Split split_and_summarize(const Bytes& data, std::size_t chunk_bytes, ChunkWorkspace& ws) {
  Split split;
  const std::uint64_t size_bits = std::uint64_t{data.size()} * 8;
  std::uint64_t start = 0;
  for (;;) {
    Chunk chunk;
    chunk.start = start;
    bool placed = false;
    std::uint64_t from = start + std::uint64_t{chunk_bytes} * 8;
    while (from < size_bits) {
      const auto c = find_block_start(data, from, size_bits);
      if (!c) break;
      const ChunkStatus st = summarize_chunk(data, start, c->bit, ws, chunk.summary);
      if (st == ChunkStatus::ok) {
        REQUIRE(chunk.summary.end_bit == c->bit);
        chunk.stop = c->bit;
        placed = true;
        break;
      }
      if (st == ChunkStatus::final_before_stop) break;
      ++split.rejected;
      from = c->bit + 1;
    }
    if (!placed) {
      chunk.stop = kToFinalBlock;
      const ChunkStatus st = summarize_chunk(data, start, kToFinalBlock, ws, chunk.summary);
      INFO("last chunk from bit " << start << ": " << chunk_status_name(st));
      REQUIRE(st == ChunkStatus::ok);
      REQUIRE(chunk.summary.final_block);
      split.chunks.push_back(std::move(chunk));
      return split;
    }
    start = chunk.stop;
    split.chunks.push_back(std::move(chunk));
  }
}

std::uint64_t count_newlines(std::string_view text) {
  std::uint64_t n = 0;
  for (const char c : text) n += c == '\n';
  return n;
}

// Combines the summaries in order and checks totals and resolved bytes.
void check_split(const Split& split, const Bytes& data, std::string_view text) {
  std::vector<std::uint8_t> window(kWindowSize, 0);
  std::vector<std::uint8_t> next(kWindowSize, 0);
  std::uint64_t lines = 0;
  std::uint64_t size = 0;
  std::uint32_t crc = static_cast<std::uint32_t>(crc32(0, nullptr, 0));
  ResolvedChunkReader reader;
  std::vector<std::uint8_t> piece(7777);
  for (std::size_t i = 0; i < split.chunks.size(); ++i) {
    const Chunk& chunk = split.chunks[i];
    INFO("chunk " << i << " of " << split.chunks.size() << ", bits " << chunk.start << ".." << chunk.stop);
    if (i == 0) CHECK(chunk.summary.marker_bytes == 0);
    // Resolved bytes first: they need the window entering this chunk.
    REQUIRE(reader.open(data, chunk.start, chunk.stop, i == 0 ? std::span<const std::uint8_t>{} : window) ==
            ChunkStatus::ok);
    std::uint64_t offset = size;
    bool same = true;
    for (;;) {
      std::size_t got = 0;
      const ChunkStatus st = reader.read(piece, got);
      if (got == 0) {
        CHECK(st == ChunkStatus::ok);
        break;
      }
      REQUIRE(st == ChunkStatus::ok);
      REQUIRE(offset + got <= text.size());
      if (std::memcmp(piece.data(), text.data() + offset, got) != 0) same = false;
      offset += got;
    }
    CHECK(same);
    CHECK(offset - size == chunk.summary.size);

    const ChunkTotals t = resolve_summary(chunk.summary, window, next);
    CHECK(t.size == chunk.summary.size);
    CHECK(t.crc32 == crc32(0, reinterpret_cast<const Bytef*>(text.data() + size), static_cast<uInt>(t.size)));
    CHECK(t.crc32 == reader.crc32());
    CHECK(t.newlines == count_newlines(text.substr(size, t.size)));
    lines += t.newlines;
    crc = static_cast<std::uint32_t>(crc32_combine(crc, t.crc32, static_cast<z_off_t>(t.size)));
    size += t.size;
    window.swap(next);
  }
  CHECK(size == text.size());
  CHECK(lines == count_newlines(text));
  CHECK(crc ==
        crc32(crc32(0, nullptr, 0), reinterpret_cast<const Bytef*>(text.data()), static_cast<uInt>(text.size())));
}

#ifdef JUGGLE_HAVE_ISAL
// Raw deflate made by ISA-L's igzip at `level` (0..3), as `igzip -N` would.
Bytes igzip_raw(std::string_view text, unsigned level) {
  static constexpr std::uint32_t level_buf_sizes[] = {ISAL_DEF_LVL0_DEFAULT, ISAL_DEF_LVL1_DEFAULT,
                                                      ISAL_DEF_LVL2_DEFAULT, ISAL_DEF_LVL3_DEFAULT};
  isal_zstream zs;
  isal_deflate_init(&zs);
  std::vector<std::uint8_t> level_buf(level_buf_sizes[level]);
  zs.level = level;
  zs.level_buf = level_buf.data();
  zs.level_buf_size = static_cast<std::uint32_t>(level_buf.size());
  zs.end_of_stream = 1;
  zs.flush = NO_FLUSH;
  zs.next_in = reinterpret_cast<std::uint8_t*>(const_cast<char*>(text.data()));
  zs.avail_in = static_cast<std::uint32_t>(text.size());
  Bytes out(text.size() + text.size() / 8 + (1 << 20));
  zs.next_out = out.data();
  zs.avail_out = static_cast<std::uint32_t>(out.size());
  while (zs.internal_state.state != ZSTATE_END) {
    REQUIRE(isal_deflate(&zs) == COMP_OK);
    REQUIRE(zs.avail_out > 0);
  }
  out.resize(zs.total_out);
  return out;
}
#endif

}  // namespace

// Property: streams made by ISA-L's own deflate (igzip -0 .. -3), split and
// decoded with markers, combine to exactly the sequential decode (igzip -0
// makes one block per stream, which stays one chunk).
TEST_CASE("chunked decoding of igzip-made streams equals the sequential decode", "[gzip][chunk][isal]") {
  REQUIRE(chunk_decoding_available());
#ifdef JUGGLE_HAVE_ISAL
  const std::string prose = prose_text(3 << 20, 51);
  const std::string b64 = base64_text(1 << 20, 52);
  ChunkWorkspace ws;
  for (unsigned level = 0; level <= 3; ++level) {
    for (const std::string* text : {&prose, &b64}) {
      const Bytes data = igzip_raw(*text, level);
      for (const std::size_t chunk_bytes : {std::size_t{5000}, std::size_t{100000}}) {
        INFO("igzip -" << level << ", " << (text == &prose ? "prose" : "base64") << ", " << data.size()
                       << " bytes, chunks of ~" << chunk_bytes);
        const Split split = split_and_summarize(data, chunk_bytes, ws);
        // igzip -0 writes the whole stream as one block: nothing to split at.
        if (level == 0)
          CHECK(split.chunks.size() == 1);
        else
          CHECK(split.chunks.size() > 2);
        check_split(split, data, *text);
      }
    }
  }
#endif
}

// Property: for every kind of data and every chunk size, splitting at
// confirmed finder candidates, decoding each chunk with markers and combining
// in order gives exactly the sequential decode's bytes, newline count, CRC-32
// and length.
TEST_CASE("chunked decoding with markers equals the sequential decode", "[gzip][chunk][isal]") {
  REQUIRE(chunk_decoding_available());
  const std::string prose = prose_text(3 << 20, 21);
  const std::string rep = repetitive_text(3 << 20);
  const std::string rnd = random_bytes(1 << 20, 22);
  const std::string b64 = base64_text(2 << 20, 23);
  const std::string a = prose_text(500 << 10, 24);
  const std::string b = random_bytes(200 << 10, 25);
  const std::string mixed = a + b + a + prose + a;
  struct Case {
    std::string name;
    std::string_view text;
    Bytes deflate;
  };
  std::vector<Case> cases;
  for (const int level : {1, 6, 9})
    cases.push_back({"prose -" + std::to_string(level), prose, deflate_raw(prose, level)});
  cases.push_back({"repetitive", rep, deflate_raw(rep, 6)});
  cases.push_back({"random", rnd, deflate_raw(rnd, 6)});
  cases.push_back({"base64", b64, deflate_raw(b64, 6)});
  cases.push_back({"stored blocks", mixed, deflate_parts({{a, 6}, {b, 0}, {a, 0}, {prose, 9}, {a, 1}})});

  ChunkWorkspace ws(ChunkWorkspace::default_slice);
  ChunkWorkspace small_slices(32 * 1024);
  for (const Case& c : cases) {
    for (const std::size_t chunk_bytes : {std::size_t{3000}, std::size_t{40000}, std::size_t{300000}}) {
      INFO("stream " << c.name << ", " << c.deflate.size() << " bytes, chunks of ~" << chunk_bytes);
      ChunkWorkspace& w = chunk_bytes == 40000 ? small_slices : ws;
      const Split split = split_and_summarize(c.deflate, chunk_bytes, w);
      if (c.deflate.size() > 4 * chunk_bytes && c.name != "repetitive") CHECK(split.chunks.size() > 2);
      check_split(split, c.deflate, c.text);
    }
  }
}

// Property: a byte pattern that passes every header check, planted inside a
// stored block (so not at a block boundary), is found by the finder and then
// rejected by the stop check of the chunk before it; splitting such a stream
// still equals the sequential decode.
TEST_CASE("a planted false block start is rejected by the stop check", "[gzip][chunk][isal]") {
  REQUIRE(chunk_decoding_available());
  // A real dynamic header, shifted to a byte boundary.
  const std::string donor = prose_text(200 << 10, 31);
  const Bytes donor_deflate = deflate_raw(donor, 6);
  const std::vector<TrueBoundary> donor_truth = true_boundaries(donor_deflate);
  REQUIRE(donor_truth.size() > 2);
  REQUIRE(donor_truth[0].type == 2);
  REQUIRE(!donor_truth[0].final);
  const std::uint64_t h = donor_truth[0].bit;
  std::string planted(400, '\0');
  for (std::size_t i = 0; i < planted.size(); ++i) {
    unsigned v = 0;
    for (unsigned k = 0; k < 8; ++k) {
      const std::uint64_t bit = h + 8 * i + k;
      v |= ((donor_deflate[bit / 8] >> (bit % 8)) & 1u) << k;
    }
    planted[i] = static_cast<char>(v);
  }
  const std::string before = prose_text(300 << 10, 32);
  const std::string after = prose_text(300 << 10, 33);
  const std::string text = before + planted + after;
  const Bytes data = deflate_parts({{before, 6}, {planted, 0}, {after, 6}});

  // Where the planted bytes sit in the stream.
  const auto it = std::search(data.begin(), data.end(), planted.begin(), planted.end(),
                              [](std::uint8_t x, char y) { return x == static_cast<std::uint8_t>(y); });
  REQUIRE(it != data.end());
  const std::uint64_t fake = 8 * static_cast<std::uint64_t>(it - data.begin());
  CHECK(dynamic_header_plausible(data, fake));
  const std::vector<TrueBoundary> truth = true_boundaries(data);
  for (const TrueBoundary& b : truth) REQUIRE(b.bit != fake);
  const auto found = find_block_start(data, fake, fake + 1);
  REQUIRE(found.has_value());
  CHECK(found->bit == fake);

  // The last true boundary before it: decoding from there to the fake start fails the stop check.
  std::uint64_t from = 0;
  for (const TrueBoundary& b : truth)
    if (b.bit < fake) from = b.bit;
  ChunkWorkspace ws;
  ChunkSummary summary;
  const ChunkStatus st = summarize_chunk(data, from, fake, ws, summary);
  CHECK(st == ChunkStatus::not_a_boundary);
  ResolvedChunkReader reader;
  REQUIRE(reader.open(data, from, fake, {}) == ChunkStatus::ok);
  std::vector<std::uint8_t> sink(1 << 16);
  ChunkStatus last = ChunkStatus::ok;
  for (std::size_t got = 1; got != 0;) last = reader.read(sink, got);
  // (the window is wrong for this chunk unless from == 0, which is fine: it only checks the stop)
  CHECK(last != ChunkStatus::ok);

  // A split whose target lands just before the fake start still decodes exactly.
  const std::size_t chunk_bytes = static_cast<std::size_t>(fake / 8) - 2;
  const Split split = split_and_summarize(data, chunk_bytes, ws);
  CHECK(split.rejected >= 1);
  check_split(split, data, text);
}

// Property: a chunk whose stop offset is not a block boundary (a few bits
// before or after a true one, or mid-block) reports so instead of ok.
TEST_CASE("a stop offset that is not a block boundary is reported", "[gzip][chunk][isal]") {
  REQUIRE(chunk_decoding_available());
  const std::string text = prose_text(1 << 20, 41);
  const Bytes data = deflate_raw(text, 6);
  const std::vector<TrueBoundary> truth = true_boundaries(data);
  REQUIRE(truth.size() > 5);
  ChunkWorkspace ws;
  ChunkSummary summary;
  std::size_t reported = 0;
  for (std::size_t i = 1; i + 2 < truth.size(); ++i) {
    const std::uint64_t start = truth[i].bit;
    const std::uint64_t end = truth[i + 1].bit;
    INFO("block " << i << " bits " << start << ".." << end);
    REQUIRE(summarize_chunk(data, start, end, ws, summary) == ChunkStatus::ok);
    for (const std::int64_t shift : {-1, -3, -8, -13, -100, 1, 2, 7, 9, 64}) {
      const std::uint64_t stop = end + static_cast<std::uint64_t>(shift);
      const ChunkStatus st = summarize_chunk(data, start, stop, ws, summary);
      INFO("stop shifted by " << shift << ": " << chunk_status_name(st));
      CHECK((st == ChunkStatus::not_a_boundary || st == ChunkStatus::bad_data));
      if (st == ChunkStatus::not_a_boundary) ++reported;
    }
    const std::uint64_t middle = start + (end - start) / 2;
    CHECK(summarize_chunk(data, start, middle, ws, summary) == ChunkStatus::not_a_boundary);
  }
  CHECK(reported > 0);
  // Past the final block: the stop is never reached.
  const std::uint64_t last_start = truth[truth.size() - 2].bit;
  Bytes with_trailer = data;
  with_trailer.insert(with_trailer.end(), 8, 0);
  CHECK(summarize_chunk(with_trailer, last_start, truth.back().bit + 8, ws, summary) == ChunkStatus::final_before_stop);
  CHECK(summarize_chunk(data, last_start, truth.back().bit, ws, summary) == ChunkStatus::ok);
  CHECK(summary.final_block);
}

// Property: the CRC-32 and newline count of a chunk come out of its summary
// exactly even when markers fill it (every byte a copy of the window) and when
// the chunk is shorter than the window.
TEST_CASE("summaries resolve exactly for marker-only and short chunks", "[gzip][chunk][isal]") {
  REQUIRE(chunk_decoding_available());
  const std::string rep = repetitive_text(600 << 10);
  const Bytes data = deflate_raw(rep, 9);
  const std::vector<TrueBoundary> truth = true_boundaries(data);
  ChunkWorkspace ws;
  // Decode the whole stream block by block, each block a chunk.
  Split split;
  for (std::size_t i = 0; i + 1 < truth.size(); ++i) {
    Chunk c;
    c.start = truth[i].bit;
    c.stop = truth[i].final ? kToFinalBlock : truth[i + 1].bit;
    REQUIRE(summarize_chunk(data, c.start, c.stop, ws, c.summary) == ChunkStatus::ok);
    if (i > 0) CHECK(c.summary.marker_bytes > 0);
    split.chunks.push_back(std::move(c));
  }
  check_split(split, data, rep);
}

namespace {

// A raw deflate stream of fixed-Huffman blocks, written symbol by symbol.
class FixedHuffmanWriter {
 public:
  void block(bool final) {
    bits(final ? 1 : 0, 1);
    bits(1, 2);  // BTYPE 01
  }
  void literal(std::uint8_t byte) { symbol(byte); }
  // A copy of 258 bytes (length symbol 285) from distance 1 (distance code 0).
  void copy_258_from_distance_1() {
    symbol(285);
    huffman(0, 5);
  }
  void end_of_block() { symbol(256); }
  Bytes finish() {
    if (used_ != 0) out_.push_back(static_cast<std::uint8_t>(acc_));
    return out_;
  }

 private:
  void symbol(unsigned s) {
    if (s < 144) huffman(0x30 + s, 8);
    else if (s < 256) huffman(0x190 + (s - 144), 9);
    else if (s < 280) huffman(s - 256, 7);
    else huffman(0xC0 + (s - 280), 8);
  }
  void huffman(unsigned code, unsigned n) {  // Huffman codes go most significant bit first
    for (unsigned i = n; i-- > 0;) bits((code >> i) & 1u, 1);
  }
  void bits(unsigned value, unsigned n) {
    for (unsigned i = 0; i < n; ++i) {
      acc_ |= ((value >> i) & 1u) << used_;
      if (++used_ == 8) {
        out_.push_back(static_cast<std::uint8_t>(acc_));
        acc_ = 0;
        used_ = 0;
      }
    }
  }
  Bytes out_;
  unsigned acc_ = 0, used_ = 0;
};

}  // namespace

// Property: a chunk whose two passes differ where no window byte could is bad
// data, and its bytes never index the per-position tables, whatever the
// workspace decoded before (under AddressSanitizer an index past them fails).
// ISA-L 2.30 writes some bytes it takes from its own buffers before it rejects
// a distance code zlib calls invalid; the two passes' buffers differ once pass
// 2 has stopped early. Chunk A leaves pass 1's buffer holding 'x' where pass
// 2's (stopped after one slice: no markers) holds zeros; chunk B is the
// start of tests/fuzz/corpus/split_count/regression-isal-stray-bytes-before-reject
// (after its first byte), whose decode goes wrong after 513 bytes. ISA-L
// rejects chunk B with or without the check, so only AddressSanitizer (make
// test's second half) sees the stray index this test guards against.
TEST_CASE("stray bytes of a rejected chunk are bad data and not markers", "[gzip][chunk][isal]") {
  REQUIRE(chunk_decoding_available());
  FixedHuffmanWriter a;
  a.block(true);
  a.literal(0);
  for (int i = 0; i < 400; ++i) a.copy_258_from_distance_1();  // 100 KiB of zeros
  a.literal('x');
  for (int i = 0; i < 1600; ++i) a.copy_258_from_distance_1();  // 400 KiB of 'x'
  a.end_of_block();
  const Bytes first = a.finish();
  const Bytes second{0xf2, 0xb1, 0x44, 0x0f, 0x44, 0xbb, 0xc9, 0x26, 0x6b, 0x0f, 0xe3, 0x8f, 0xac, 0x7c, 0xbc,
                     0xa6, 0x2d, 0xd6, 0x72, 0x9c, 0xd1, 0x74, 0x55, 0x54, 0xab, 0xbb, 0xca, 0x9a, 0x5f, 0x32,
                     0x18, 0x0c, 0x06, 0x83, 0xc1, 0x60, 0x30, 0x18, 0x0c, 0x06, 0x83, 0xc1, 0x60, 0x30, 0x18,
                     0x0c, 0xfe, 0x17, 0xbf, 0x00, 0x00, 0x00, 0xff, 0xff, 0xec, 0xcd, 0xa1, 0x0d, 0x00, 0x00};

  ChunkWorkspace ws(4096);
  ChunkSummary summary;
  REQUIRE(summarize_chunk(first, 0, kToFinalBlock, ws, summary) == ChunkStatus::ok);
  REQUIRE(summary.size == 1 + 400 * 258 + 1 + 1600 * 258);
  CHECK(summarize_chunk(second, 0, kToFinalBlock, ws, summary) == ChunkStatus::bad_data);
  // The workspace is still sound: chunk A decodes again to the same summary.
  ChunkSummary again;
  REQUIRE(summarize_chunk(first, 0, kToFinalBlock, ws, again) == ChunkStatus::ok);
  CHECK(again.size == 1 + 400 * 258 + 1 + 1600 * 258);
  CHECK(again.literal_newlines == 0);
  CHECK(again.marker_positions.empty());
}
