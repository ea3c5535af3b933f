// The deflate block-start finder alone (src/gzip/deflate_block_finder.hpp).
#include <catch2/catch.hpp>
#include <string>

#include "deflate_streams.hpp"
#include "gzip/deflate_block_finder.hpp"

using namespace juggle::gzip;
using namespace juggle::test;

namespace {

struct Stream {
  std::string name;
  std::string text;
  Bytes deflate;
};

std::vector<Stream> streams() {
  std::vector<Stream> all;
  const std::string prose = prose_text(3 << 20, 1);
  for (const int level : {1, 6, 9})
    all.push_back({"prose -" + std::to_string(level), prose, deflate_raw(prose, level)});
  const std::string rep = repetitive_text(4 << 20);
  all.push_back({"repetitive", rep, deflate_raw(rep, 6)});
  const std::string rnd = random_bytes(1 << 20, 2);
  all.push_back({"random", rnd, deflate_raw(rnd, 6)});
  const std::string b64 = base64_text(2 << 20, 3);
  all.push_back({"base64", b64, deflate_raw(b64, 6)});
  const std::string a = prose_text(600 << 10, 4);
  const std::string b = prose_text(300 << 10, 5);
  const std::string c = base64_text(400 << 10, 6);
  Stream mixed{"stored blocks", a + b + c + a, {}};
  mixed.deflate = deflate_parts({{a, 6}, {b, 0}, {c, 9}, {a, 0}});
  all.push_back(std::move(mixed));
  return all;
}

}  // namespace

// Property: every true non-final dynamic or stored block start of a zlib-made
// stream is returned when the scan starts just before it (a stored block at
// its latest equivalent offset).
TEST_CASE("the finder finds every true dynamic and stored block start", "[gzip][finder]") {
  for (const Stream& s : streams()) {
    INFO("stream: " << s.name);
    const std::vector<TrueBoundary> truth = true_boundaries(s.deflate);
    const std::uint64_t size_bits = std::uint64_t{s.deflate.size()} * 8;
    std::size_t checked = 0;
    for (const TrueBoundary& b : truth) {
      if (b.final || (b.type != 0 && b.type != 2) || b.bit == 0) continue;
      const std::uint64_t expect = b.type == 2 ? b.bit : ((b.bit + 3 + 7) / 8) * 8 - 3;
      const BlockKind kind = b.type == 2 ? BlockKind::dynamic : BlockKind::stored;
      INFO("boundary at bit " << b.bit << " type " << b.type);
      std::uint64_t from = b.bit >= 64 ? b.bit - 64 : 0;
      std::optional<BlockCandidate> c;
      for (;;) {
        c = find_block_start(s.deflate, from, size_bits);
        if (!c || c->bit >= b.bit) break;
        from = c->bit + 1;
      }
      REQUIRE(c.has_value());
      CHECK(c->bit == expect);
      CHECK(c->kind == kind);
      if (kind == BlockKind::dynamic) CHECK(dynamic_header_plausible(s.deflate, b.bit));
      ++checked;
    }
    if (s.name != "repetitive") CHECK(checked > 0);  // zlib makes few, long blocks of it
  }
}

// Property: the finder's fast filters never change the verdict of the full
// check chain: scanning bit by bit with dynamic_header_plausible and
// stored_header_plausible gives the same candidates as find_block_start.
TEST_CASE("the finder's fast filters agree with the full header checks", "[gzip][finder]") {
  const std::string text = prose_text(200 << 10, 9) + random_bytes(20 << 10, 9);
  const Bytes data = deflate_parts({{text, 6}});
  const std::uint64_t size_bits = std::uint64_t{data.size()} * 8;
  std::vector<std::uint64_t> slow;
  for (std::uint64_t bit = 0; bit < size_bits; ++bit)
    if (dynamic_header_plausible(data, bit) || stored_header_plausible(data, bit)) slow.push_back(bit);
  std::vector<std::uint64_t> fast;
  for (std::uint64_t from = 0;;) {
    const auto c = find_block_start(data, from, size_bits);
    if (!c) break;
    fast.push_back(c->bit);
    from = c->bit + 1;
  }
  CHECK(fast == slow);
  CHECK(!fast.empty());
}

// Property: the range is honoured: nothing before begin_bit or at/after
// end_bit is returned, and an empty range returns nothing.
TEST_CASE("the finder keeps to its bit range", "[gzip][finder]") {
  const std::string text = prose_text(300 << 10, 11);
  const Bytes data = deflate_raw(text, 6);
  const std::vector<TrueBoundary> truth = true_boundaries(data);
  REQUIRE(truth.size() > 2);
  const std::uint64_t b = truth[1].bit;
  REQUIRE(truth[1].type == 2);
  REQUIRE(!truth[1].final);
  const auto at = find_block_start(data, b, b + 1);
  REQUIRE(at.has_value());
  CHECK(at->bit == b);
  const auto after = find_block_start(data, b + 1, b + 1);
  CHECK(!after.has_value());
  const auto before = find_block_start(data, b + 1, std::uint64_t{data.size()} * 8);
  if (before) CHECK(before->bit > b);
  CHECK(!find_block_start(data, 100, 50).has_value());
  CHECK(!find_block_start({}, 0, 1000).has_value());
}
