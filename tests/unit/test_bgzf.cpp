// BGZF files cut into ranges of whole members (gzip/bgzf.hpp) and the
// ranges' counts joined (count/range_join.hpp): the cut finds only member
// starts, and the joined count is exactly the whole file's, or refused.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstring>

#include "count/gzip_line_counter.hpp"
#include "count/range_join.hpp"
#include "gzip/bgzf.hpp"
#include "gzip_fixtures.hpp"

using namespace juggle;
using namespace juggle::test;

namespace {


// Every member start of a BGZF file, by hopping with bgzf_member_size.
std::vector<std::uint64_t> member_starts(const Bytes& data) {
  std::vector<std::uint64_t> starts;
  for (std::uint64_t at = 0; at < data.size();) {
    starts.push_back(at);
    const auto size = gzip::bgzf_member_size(std::span(data).subspan(at));
    REQUIRE(size);
    at += *size;
  }
  return starts;
}

std::vector<count::LineCount> count_ranges(const Bytes& data, const std::vector<std::uint64_t>& starts) {
  std::vector<count::LineCount> counts;
  count::CountWorkspace ws(gzip::default_backend());
  for (std::size_t i = 0; i < starts.size(); ++i) {
    const std::uint64_t end = i + 1 < starts.size() ? starts[i + 1] : data.size();
    counts.push_back(count::count_gzip_buffer(std::span(data).subspan(starts[i], end - starts[i]), ws));
  }
  return counts;
}

}  // namespace

TEST_CASE("a BGZF header gives its member's size; other gzip headers give none", "[gzip][bgzf]") {
  const std::string text = sample_text(200'000, 1);
  const Bytes file = bgzf(text, 50'000);
  const std::vector<std::uint64_t> starts = member_starts(file);
  CHECK(starts.size() == (text.size() + 49'999) / 50'000 + 1);  // the blocks of text and the end-of-file member
  CHECK_FALSE(gzip::bgzf_member_size(gzip_member("plain gzip\n")));
  CHECK_FALSE(gzip::bgzf_member_size(gzip_member("other extra\n", 6, {.extra = std::string("AB\x02\x00xy", 6)})));
  // BC after another subfield still counts; a BC of the wrong length does not.
  const Bytes later = gzip_member("x\n", 6, {.extra = std::string("AB\x01\x00zBC\x02\x00\x10\x00", 11)});
  CHECK(gzip::bgzf_member_size(later) == 0x11);
  CHECK_FALSE(gzip::bgzf_member_size(gzip_member("x\n", 6, {.extra = std::string("BC\x03\x00\x10\x00\x00", 7)})));
  // A header cut short of its extra field is no header.
  CHECK_FALSE(gzip::bgzf_member_size(std::span(file).first(14)));
}

TEST_CASE("ranges start at member starts, hold at least the range size, and cover the file", "[gzip][bgzf]") {
  const Bytes file = bgzf(sample_text(3'000'000, 2), 65'280);
  const std::vector<std::uint64_t> members = member_starts(file);
  for (const std::uint64_t range : {std::uint64_t{1}, std::uint64_t{40'000}, std::uint64_t{250'000}}) {
    INFO("range bytes " << range);
    const std::vector<std::uint64_t> starts = gzip::bgzf_range_starts(reader_of(file), file.size(), range);
    REQUIRE(starts.size() >= 2);
    CHECK(starts.front() == 0);
    CHECK(std::is_sorted(starts.begin(), starts.end()));
    for (std::size_t i = 0; i < starts.size(); ++i) {
      CHECK(std::binary_search(members.begin(), members.end(), starts[i]));
      if (i + 1 < starts.size()) CHECK(starts[i + 1] - starts[i] >= range);
    }
    CHECK(file.size() - starts.back() >= range / 2);
  }
  // One range's worth or less: no cut.
  CHECK(gzip::bgzf_range_starts(reader_of(file), file.size(), file.size()).empty());
  // Not BGZF: no cut.
  const Bytes plain = gzip_member(sample_text(500'000, 3));
  CHECK(gzip::bgzf_range_starts(reader_of(plain), plain.size(), 1000).empty());
}

TEST_CASE("joined range counts equal the whole file's count, trailing bytes and all", "[gzip][bgzf][count]") {
  const std::string text = sample_text(2'000'000, 4) + "no newline at the end";
  for (const Bytes& file : {bgzf(text, 65'280), concat({bgzf(text, 30'000), Bytes(9, 0)}),
                            concat({bgzf(text, 30'000), as_bytes("junk after the members")}),
                            concat({bgzf(text, 30'000), gzip_member("a plain member after BGZF\n")})}) {
    count::CountWorkspace ws(gzip::default_backend());
    const count::LineCount whole = count::count_gzip_buffer(file, ws);
    REQUIRE(whole.status == gzip::GzipStatus::ok);
    const std::vector<std::uint64_t> starts = gzip::bgzf_range_starts(reader_of(file), file.size(), 100'000);
    REQUIRE(starts.size() > 2);
    const std::optional<count::LineCount> joined = count::join_ranges(count_ranges(file, starts));
    REQUIRE(joined);
    CHECK(joined->lines == whole.lines);
    CHECK(joined->lines >= newlines_in(text));
    CHECK(joined->bytes_in == whole.bytes_in);
    CHECK(joined->bytes_out == whole.bytes_out);
    CHECK(joined->crc32 == whole.crc32);
    CHECK(joined->members == whole.members);
    CHECK(joined->trailing_bytes == whole.trailing_bytes);
    CHECK(joined->trailing_garbage == whole.trailing_garbage);
    CHECK(joined->unterminated == whole.unterminated);
  }
}

TEST_CASE("ranges that do not decode whole are refused: the file is counted again whole", "[gzip][bgzf][count]") {
  const std::string text = sample_text(1'000'000, 5);
  Bytes file = bgzf(text, 65'280);
  const std::vector<std::uint64_t> starts = gzip::bgzf_range_starts(reader_of(file), file.size(), 100'000);
  REQUIRE(starts.size() > 3);
  SECTION("a changed byte in a middle range") {
    file[(starts[1] + starts[2]) / 2] ^= 0x55;
    CHECK_FALSE(count::join_ranges(count_ranges(file, starts)));
  }
  SECTION("a cut that misses a member start") {
    std::vector<std::uint64_t> wrong = starts;
    wrong[1] += 7;
    CHECK_FALSE(count::join_ranges(count_ranges(file, wrong)));
  }
  SECTION("a range followed by zeros before the next member") {
    // Sequentially, zeros after a member end the file (padding); a range
    // that ends in zeros must not let the later ranges count.
    Bytes padded(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(starts[1]));
    padded.insert(padded.end(), 16, 0);
    padded.insert(padded.end(), file.begin() + static_cast<std::ptrdiff_t>(starts[1]), file.end());
    std::vector<std::uint64_t> shifted = starts;
    for (std::size_t i = 2; i < shifted.size(); ++i) shifted[i] += 16;
    CHECK_FALSE(count::join_ranges(count_ranges(padded, shifted)));
  }
  SECTION("the file cut short") {
    file.resize(file.size() - 100);
    CHECK_FALSE(count::join_ranges(count_ranges(file, starts)));
  }
}
