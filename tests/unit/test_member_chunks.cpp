// Counting one gzip member in chunks (src/count/member_chunks.hpp): for every
// kind of stream, chunk size and order of decoding (one thread running from
// the front, every chunk after the first on the marker path, a mix), the
// joined count equals the sequential decoder's exactly, records survive the
// wire, and a damaged member is never joined into a count the sequential
// path would not give; the join's segments, each decoded again with its
// window (tokenize/segment_reader.hpp), hold exactly the sequential pass's
// words. Needs ISA-L (tagged [isal]).
#include <zlib.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstring>
#include <fstream>
#include <map>

#include "count/gzip_line_counter.hpp"
#include "count/member_chunks.hpp"
#include "count/member_join.hpp"
#include "deflate_streams.hpp"
#include "temp_dir.hpp"
#include "tokenize/segment_reader.hpp"

using namespace juggle;
using namespace juggle::count;
using namespace juggle::test;

namespace {


enum class Order { front_runner, markers, alternate };

// The file's chunk records as the engine would leave them, sorted by begin.
std::vector<ChunkCount> count_chunks(const Bytes& file, std::uint64_t chunk, Order order, ChunkCounter& counter,
                                     bool keep_windows = false) {
  const gzip::ReadAt read_at = reader_of(file);
  std::vector<ChunkCount> records;
  const std::uint64_t n = std::max<std::uint64_t>(1, (file.size() + chunk - 1) / chunk);
  for (std::uint64_t k = 0; k < n; ++k) {
    const ChunkPlace place{k * chunk, (k + 1) * chunk, k + 1 == n};
    const bool continue_run = !records.empty() && records.back().kind == ChunkKind::resolved &&
                              records.back().end == place.begin &&
                              (order == Order::front_runner || (order == Order::alternate && k % 3 != 2));
    ChunkCount c = counter.count(read_at, file.size(), place, continue_run ? &records.back() : nullptr);
    if (!continue_run || !extend_run(records.back(), c, keep_windows)) records.push_back(std::move(c));
  }
  // Across the wire and back.
  std::vector<char> wire;
  for (const ChunkCount& c : records) encode_chunk(c, wire);
  std::span<const char> in(wire);
  std::vector<ChunkCount> back;
  while (!in.empty()) {
    auto c = decode_chunk(in);
    REQUIRE(c);
    back.push_back(std::move(*c));
  }
  REQUIRE(back.size() == records.size());
  return back;
}

Bytes fixed_huffman_member(std::string_view text) {
  z_stream z{};
  REQUIRE(deflateInit2(&z, 6, Z_DEFLATED, 16 + 15, 8, Z_FIXED) == Z_OK);
  Bytes out(deflateBound(&z, text.size()) + 64);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = out.data();
  z.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string describe(const std::vector<ChunkCount>& records) {
  std::string s;
  for (const ChunkCount& c : records)
    s += "[" + std::to_string(c.begin) + "," + std::to_string(c.end) + ") kind " +
         std::to_string(static_cast<int>(c.kind)) + " " + std::string(gzip::chunk_status_name(c.status)) + " bits " +
         std::to_string(c.start_bit) + "-" + std::to_string(c.end_bit) + (c.final_block ? " final" : "") + "\n";
  return s;
}

void check_joins_like_sequential(const Bytes& file, std::uint64_t chunk, Order order, ChunkCounter& counter) {
  gzip::GzipWorkspace ws(gzip::default_backend());
  const std::vector<ChunkCount> records = count_chunks(file, chunk, order, counter);
  const std::optional<MemberCount> joined = join_member_chunks(records);
  INFO(describe(records));
  // The first member alone, decoded sequentially.
  const LineCount whole = count_gzip_buffer(file, ws);
  if (whole.status != gzip::GzipStatus::ok) {
    // A damaged file: a join may only stand for a first member that is
    // itself sound (the damage after it).
    if (!joined) return;
    const LineCount first = count_gzip_buffer(std::span(file).first(joined->member_end), ws);
    REQUIRE(first.status == gzip::GzipStatus::ok);
    CHECK(joined->count.lines == first.lines);
    CHECK(joined->count.crc32 == first.crc32);
    return;
  }
  REQUIRE(joined);
  const LineCount first = count_gzip_buffer(std::span(file).first(joined->member_end), ws);
  REQUIRE(first.status == gzip::GzipStatus::ok);
  CHECK(first.members == 1);
  CHECK(first.trailing_bytes == 0);
  CHECK(joined->count.lines == first.lines);
  CHECK(joined->count.bytes_out == first.bytes_out);
  CHECK(joined->count.crc32 == first.crc32);
  CHECK(joined->count.bytes_in == first.bytes_in);
  CHECK(joined->count.unterminated == first.unterminated);
}

}  // namespace

TEST_CASE("member chunks join to the sequential count for every stream kind, chunk size and order",
          "[member_chunks][isal]") {
  const std::string prose = prose_text(3 << 20, 7);
  const std::string repeated = repetitive_text(2 << 20);
  const std::string random = random_bytes(1 << 20, 3);
  const std::string b64 = base64_text(1 << 20, 5);
  struct Case {
    const char* name;
    Bytes file;
  };
  const std::vector<Case> cases = {
      {"prose -1", gzip_member(prose, 1)},
      {"prose -6", gzip_member(prose, 6)},
      {"prose -9 unterminated", gzip_member(prose.substr(0, prose.size() - 1), 9)},
      {"stored only", gzip_member(prose.substr(0, 1 << 20), 0)},
      {"repetitive", gzip_member(repeated, 6)},
      {"random", gzip_member(random, 6)},
      {"base64", gzip_member(b64, 6)},
      {"fixed Huffman only", fixed_huffman_member(prose.substr(0, 1 << 20))},
      {"empty member", gzip_member("", 6)},
      {"two members", concat({gzip_member(prose.substr(0, 1 << 20), 6), gzip_member(b64, 6)})},
      {"trailing garbage", concat({gzip_member(b64, 6), as_bytes("garbage")})},
      {"header with name and extra", gzip_member(b64, 6, {.extra = "xyz", .name = "a.txt", .header_crc = true})},
  };
  ChunkCounter counter;
  for (const Case& c : cases) {
    for (const std::uint64_t chunk : {std::uint64_t{16} << 10, std::uint64_t{200} << 10, std::uint64_t{1} << 20,
                                      std::uint64_t{64} << 20}) {
      for (const Order order : {Order::markers, Order::front_runner, Order::alternate}) {
        INFO(c.name << ", chunk " << chunk << ", order " << static_cast<int>(order));
        check_joins_like_sequential(c.file, chunk, order, counter);
      }
    }
  }
}

TEST_CASE("damaged members never join into a count the sequential path would not give", "[member_chunks][isal]") {
  const Bytes good = gzip_member(prose_text(1 << 20, 11), 6);
  ChunkCounter counter;
  std::uint64_t state = 99;
  for (int trial = 0; trial < 24; ++trial) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    Bytes bad = good;
    const std::size_t at = 10 + static_cast<std::size_t>((state >> 20) % (good.size() - 10));
    switch (trial % 3) {
      case 0:
        bad[at] ^= static_cast<std::uint8_t>(1 + (state >> 8) % 255);  // a changed byte
        break;
      case 1:
        bad.resize(at);  // cut
        break;
      default:
        bad[bad.size() - 6] ^= 0x40;  // a wrong CRC
        break;
    }
    INFO("trial " << trial << " at " << at);
    check_joins_like_sequential(bad, 64 << 10, trial % 2 ? Order::markers : Order::front_runner, counter);
  }
}

TEST_CASE("a cancelled chunk is an empty record, and a chunk decoded twice joins once", "[member_chunks][isal]") {
  const Bytes file = gzip_member(prose_text(1 << 20, 13), 6);
  const gzip::ReadAt read_at = reader_of(file);
  ChunkCounter counter;
  const std::uint64_t chunk = 64 << 10;
  const std::atomic<bool> raised{true};
  const ChunkCount cancelled = counter.count(read_at, file.size(), {chunk, 2 * chunk, false}, nullptr, &raised);
  CHECK(cancelled.kind == ChunkKind::empty);
  CHECK(cancelled.status == gzip::ChunkStatus::cancelled);

  // The front thread's run over every chunk, plus the marker path's record
  // of chunk 1 that finished just as the front thread took it over.
  std::vector<ChunkCount> records = count_chunks(file, chunk, Order::front_runner, counter);
  REQUIRE(records.size() == 1);
  const std::optional<MemberCount> alone = join_member_chunks(records);
  REQUIRE(alone);
  records.push_back(counter.count(read_at, file.size(), {chunk, 2 * chunk, false}, nullptr));
  REQUIRE(records.back().kind == ChunkKind::summary);
  const std::optional<MemberCount> twice = join_member_chunks(records);
  REQUIRE(twice);
  CHECK(twice->count.lines == alone->count.lines);
  CHECK(twice->count.crc32 == alone->count.crc32);
  CHECK(twice->count.bytes_out == alone->count.bytes_out);
}

TEST_CASE("a reference before the member's first byte fails chunked as it fails sequentially",
          "[member_chunks][isal]") {
  // Raw deflate against a preset dictionary, which gzip has no place for:
  // after 4000 empty stored blocks (20 KB of stream, no output) one block
  // copies from the dictionary. A sequential decode rejects the distance;
  // a chunk starting after the empty blocks sees markers before the
  // member's start, which the join must refuse rather than read as zeros
  // (the trailer holds the CRC-32 and length of that zero-filled reading).
  const std::string dict = prose_text(32768, 21).substr(0, 32768);
  z_stream z{};
  REQUIRE(deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  REQUIRE(deflateSetDictionary(&z, reinterpret_cast<const Bytef*>(dict.data()), static_cast<uInt>(dict.size())) ==
          Z_OK);
  Bytes raw(1 << 20);
  z.next_out = raw.data();
  z.avail_out = static_cast<uInt>(raw.size());
  const std::string text = dict.substr(100, 20000);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
  raw.resize(z.total_out);
  deflateEnd(&z);
  Bytes file = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
  for (int i = 0; i < 4000; ++i)  // an empty non-final stored block: header, LEN 0, NLEN 0xffff
    for (const std::uint8_t b : {0x00, 0x00, 0x00, 0xff, 0xff}) file.push_back(b);
  for (const std::uint8_t b : raw) file.push_back(b);
  std::string zero_read(text.size() + 64, '\0');
  z_stream in{};
  REQUIRE(inflateInit2(&in, -15) == Z_OK);
  const std::string zeros(32768, '\0');
  REQUIRE(inflateSetDictionary(&in, reinterpret_cast<const Bytef*>(zeros.data()), 32768) == Z_OK);
  in.next_in = raw.data();
  in.avail_in = static_cast<uInt>(raw.size());
  in.next_out = reinterpret_cast<Bytef*>(zero_read.data());
  in.avail_out = static_cast<uInt>(zero_read.size());
  REQUIRE(inflate(&in, Z_FINISH) == Z_STREAM_END);
  zero_read.resize(in.total_out);
  inflateEnd(&in);
  REQUIRE(zero_read != text);
  const std::uint32_t crc = crc32_of(zero_read);
  const auto size = static_cast<std::uint32_t>(zero_read.size());
  for (int i = 0; i < 4; ++i) file.push_back(static_cast<std::uint8_t>(crc >> (8 * i)));
  for (int i = 0; i < 4; ++i) file.push_back(static_cast<std::uint8_t>(size >> (8 * i)));
  ChunkCounter counter;
  for (const Order order : {Order::markers, Order::front_runner})
    check_joins_like_sequential(file, 4096, order, counter);
}

TEST_CASE("a false start whose decode ends in a final block is not a chunk boundary", "[member_chunks][isal]") {
  // A whole raw deflate stream stored inside a stored-only member: its
  // first block header passes every check and decoding from it reaches a
  // final block before any other candidate. Taken for a boundary, it fails the chunk before it and the
  // file is counted whole; the trailer check (its "trailer" is followed by
  // neither the file's end nor a gzip header) rejects it.
  const std::string before = prose_text(512 << 10, 11), after = prose_text(512 << 10, 12);
  // Two dynamic blocks (a level change ends the first; zlib puts an empty
  // fixed block between): the first is a candidate, the final one is not.
  const std::string one = prose_text(48 << 10, 13), two = prose_text(48 << 10, 14);
  const Bytes planted = deflate_parts({{one, 6}, {two, 1}});
  const std::string text = before + std::string(planted.begin(), planted.end()) + after;
  const Bytes file = gzip_member(text, 0);
  const auto at = std::search(file.begin(), file.end(), planted.begin(), planted.end());
  REQUIRE(at != file.end());
  const auto chunk = static_cast<std::uint64_t>(at - file.begin());
  ChunkCounter counter;
  for (const Order order : {Order::markers, Order::front_runner, Order::alternate}) {
    const std::vector<ChunkCount> records = count_chunks(file, chunk, order, counter);
    INFO(describe(records));
    CHECK(join_member_chunks(records).has_value());
  }
}

TEST_CASE("a member's segments, decoded again with their windows, hold exactly the sequential words",
          "[member_chunks][tokenize][isal]") {
  // Word runs across every kind of cut: a run of letters longer than a
  // chunk (the reader decodes on, growing what it reads), UTF-8 words and
  // apostrophes, text without split bytes for whole chunks.
  std::string letters = random_bytes(400 << 10, 24);  // one word of 400 KiB, about 240 KB compressed
  for (char& c : letters) c = static_cast<char>('a' + static_cast<unsigned char>(c) % 26);
  const std::string prose = prose_text(1 << 20, 21) + std::string(300 << 10, 'x') + " caf\xC3\xA9 don\xE2\x80\x99t " +
                            letters + "\n" + prose_text(256 << 10, 22);
  const std::string repeated = repetitive_text(1 << 20);
  const std::string b64 = base64_text(512 << 10, 23);
  struct Case {
    const char* name;
    Bytes file;
  };
  // A member that starts with 200 KiB of empty stored blocks: segments
  // with no output before them that are not the member's first.
  const std::string tail = prose.substr(0, 300 << 10);
  Bytes empty_first = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
  for (int i = 0; i < 40000; ++i) empty_first.insert(empty_first.end(), {0x00, 0x00, 0x00, 0xff, 0xff});
  const Bytes body = deflate_raw(tail, 6);
  empty_first.insert(empty_first.end(), body.begin(), body.end());
  for (const std::uint32_t v : {crc32_of(tail), static_cast<std::uint32_t>(tail.size())})
    for (int k = 0; k < 4; ++k) empty_first.push_back(static_cast<std::uint8_t>(v >> (8 * k)));
  const std::vector<Case> cases = {
      {"empty stored blocks first", empty_first},
      {"prose -6", gzip_member(prose, 6)},
      {"prose -1", gzip_member(prose, 1)},
      {"stored only", gzip_member(prose.substr(0, 600 << 10), 0)},
      {"repetitive", gzip_member(repeated, 6)},
      {"base64", gzip_member(b64, 9)},
      {"empty", gzip_member("", 6)},
  };
  test::TempDir tmp;
  const std::string path = (tmp.path() / "member.gz").string();
  using Sorted = std::map<std::string, std::uint64_t>;
  const auto sorted = [](const tokenize::WordCounts& c) {
    Sorted s;
    for (const auto& [w, n] : c) s[std::string(w)] = n;
    return s;
  };
  ChunkCounter counter;
  tokenize::SegmentReader reader;
  gzip::GzipWorkspace ws(gzip::default_backend());
  for (const Case& c : cases) {
    std::ofstream(path, std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char*>(c.file.data()), static_cast<std::streamsize>(c.file.size()));
    tokenize::WordCounts whole;
    const tokenize::PieceResult all = tokenize::tokenize_piece({path, 0, UINT64_MAX, true}, ws, {}, whole);
    REQUIRE(all.decode.status == gzip::GzipStatus::ok);
    for (const std::uint64_t chunk : {std::uint64_t{16} << 10, std::uint64_t{100} << 10, std::uint64_t{1} << 20}) {
      for (const Order order : {Order::markers, Order::front_runner, Order::alternate}) {
        INFO(c.name << ", chunk " << chunk << ", order " << static_cast<int>(order));
        const std::vector<ChunkCount> records = count_chunks(c.file, chunk, order, counter, true);
        std::vector<MemberSegment> segments;
        REQUIRE(join_member_chunks(records, &segments));
        REQUIRE(!segments.empty());
        CHECK(segments.front().window.empty());
        CHECK(segments.front().member_start);
        CHECK(std::none_of(segments.begin() + 1, segments.end(), [](const MemberSegment& s) { return s.member_start; }));
        CHECK(segments.back().final_block);
        tokenize::WordCounts parts;
        tokenize::WordCache cache(parts);
        tokenize::TokenStats stats;
        std::uint64_t bytes_in = 0;
        for (const MemberSegment& s : segments) {
          const std::uint64_t end = s.final_block ? gzip::kToFinalBlock : s.end_bit;
          const tokenize::PieceResult r =
              reader.tokenize({path, s.start_bit, end, s.window, s.member_start}, {}, cache);
          INFO("segment bits " << s.start_bit << "-" << s.end_bit << " window " << s.window.size() << "\n"
                               << describe(records));
          REQUIRE(r.decode.status == gzip::GzipStatus::ok);
          stats += r.text;
          bytes_in += r.decode.bytes_in;
        }
        cache.flush();
        CHECK(bytes_in == c.file.size());
        CHECK(stats.bytes == all.text.bytes);
        CHECK(stats.words == all.text.words);
        CHECK(stats.invalid_bytes == all.text.invalid_bytes);
        CHECK(sorted(parts) == sorted(whole));
      }
    }
  }
}

namespace {

// The steps of member_join.hpp as `ranks` ranks run them, with the scan
// and the reduction done here in rank order (left to right, and again
// grouped from the right: the operators must be associative).
std::optional<MemberCount> join_in_ranges(const std::vector<ChunkCount>& records, int ranks,
                                          std::vector<MemberSegment>& segments) {
  std::vector<ChunkOutline> outlines;
  for (std::size_t i = 0; i < records.size(); ++i)
    outlines.push_back(outline_of(7, records[i], static_cast<int>(i % 3)));
  const std::optional<MemberPlan> plan = plan_member(outlines, ranks);
  if (!plan) return std::nullopt;
  REQUIRE(plan->home.size() == plan->used.size());
  REQUIRE(std::is_sorted(plan->home.begin(), plan->home.end()));
  REQUIRE(plan->home.back() < ranks);
  std::vector<std::vector<ChunkCount>> range(static_cast<std::size_t>(ranks));
  for (std::size_t j = 0; j < plan->used.size(); ++j)
    for (const ChunkCount& c : records)
      if (c.begin == plan->used[j].begin && c.kind == plan->used[j].kind && c.end == plan->used[j].end)
        range[static_cast<std::size_t>(plan->home[j])].push_back(c);
  std::vector<WindowFunction> f;
  for (const auto& r : range) f.push_back(window_function(r));
  std::vector<MemberPart> parts;
  WindowFunction prefix;  // identity: nothing before rank 0
  for (int r = 0; r < ranks; ++r) {
    WindowFunction right;  // f[0] then ... f[r-1], grouped from the right
    for (int k = r - 1; k >= 0; --k) {
      WindowFunction g = right;
      right = f[static_cast<std::size_t>(k)];
      compose(right, g);
      right = g;
    }
    CHECK(right.identity == prefix.identity);
    CHECK(right.size == prefix.size);
    CHECK(right.symbols == prefix.symbols);
    parts.push_back(resolve_range(range[static_cast<std::size_t>(r)], leaving_window(prefix), prefix.size, &segments));
    WindowFunction next = f[static_cast<std::size_t>(r)];
    compose(prefix, next);
    prefix = next;
  }
  MemberPart left;
  for (const MemberPart& p : parts) {
    MemberPart next = p;
    combine(left, next);
    left = next;
  }
  MemberPart right;
  for (auto p = parts.rbegin(); p != parts.rend(); ++p) combine(*p, right);
  CHECK(left.lines == right.lines);
  CHECK(left.size == right.size);
  CHECK(left.crc32 == right.crc32);
  CHECK(left.valid == right.valid);
  CHECK(left.empty == right.empty);
  return finish_member(*plan, left);
}

}  // namespace

TEST_CASE("a member joined in ranges on several ranks equals the join on one", "[member_chunks][isal]") {
  const std::string prose = prose_text(2 << 20, 31);
  const Bytes cut_short = gzip_member(prose.substr(0, 600 << 10), 6);
  const std::vector<std::pair<const char*, Bytes>> cases = {
      {"prose -6", gzip_member(prose, 6)},
      {"base64", gzip_member(base64_text(1 << 20, 32), 6)},
      {"repetitive", gzip_member(repetitive_text(1 << 20), 9)},
      {"stored only", gzip_member(prose.substr(0, 700 << 10), 0)},
      {"empty member", gzip_member("", 6)},
      {"two members", concat({gzip_member(prose.substr(0, 500 << 10), 6), gzip_member("tail\n", 6)})},
      {"cut", Bytes(cut_short.begin(), cut_short.end() - 1000)},
  };
  ChunkCounter counter;
  for (const auto& [name, file] : cases) {
    for (const std::uint64_t chunk : {std::uint64_t{16} << 10, std::uint64_t{100} << 10}) {
      for (const Order order : {Order::markers, Order::front_runner, Order::alternate}) {
        const std::vector<ChunkCount> records = count_chunks(file, chunk, order, counter, true);
        std::vector<MemberSegment> one_segments;
        const std::optional<MemberCount> one = join_member_chunks(records, &one_segments);
        for (const int ranks : {1, 2, 3, 5, 8}) {
          INFO(name << ", chunk " << chunk << ", order " << static_cast<int>(order) << ", ranks " << ranks << "\n"
                    << describe(records));
          std::vector<MemberSegment> segments;
          const std::optional<MemberCount> many = join_in_ranges(records, ranks, segments);
          REQUIRE(many.has_value() == one.has_value());
          if (!one) continue;
          CHECK(many->member_end == one->member_end);
          CHECK(many->count.lines == one->count.lines);
          CHECK(many->count.crc32 == one->count.crc32);
          CHECK(many->count.bytes_out == one->count.bytes_out);
          CHECK(many->count.bytes_in == one->count.bytes_in);
          CHECK(many->count.unterminated == one->count.unterminated);
          REQUIRE(segments.size() == one_segments.size());
          for (std::size_t k = 0; k < segments.size(); ++k) {
            CHECK(segments[k].start_bit == one_segments[k].start_bit);
            CHECK(segments[k].end_bit == one_segments[k].end_bit);
            CHECK(segments[k].offset == one_segments[k].offset);
            CHECK(segments[k].final_block == one_segments[k].final_block);
            CHECK(segments[k].member_start == one_segments[k].member_start);
            CHECK(segments[k].window == one_segments[k].window);
          }
        }
      }
    }
  }
}
