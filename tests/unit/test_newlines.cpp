#include <catch2/catch.hpp>

#include <random>
#include <vector>

#include "count/newlines.hpp"

using juggle::count::count_newlines;
using juggle::count::count_newlines_scalar;

TEST_CASE("newline kernel equals the scalar count at every size and alignment", "[count][newlines]") {
  std::mt19937_64 rng(42);
  std::vector<std::uint8_t> data(300 * 64 + 77);
  for (auto& b : data) b = static_cast<std::uint8_t>(rng() % 4 == 0 ? '\n' : rng() & 0xff);
  for (std::size_t offset = 0; offset < 33; ++offset) {
    for (std::size_t size : {0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 255 * 16, 255 * 32, 255 * 32 + 5, 300 * 64}) {
      if (offset + size > data.size()) continue;
      REQUIRE(count_newlines(data.data() + offset, size) == count_newlines_scalar(data.data() + offset, size));
    }
  }
}

TEST_CASE("all-newline buffers do not overflow the byte lanes", "[count][newlines]") {
  const std::vector<std::uint8_t> all(1 << 20, '\n');
  REQUIRE(count_newlines(all.data(), all.size()) == all.size());
  const std::vector<std::uint8_t> none(1 << 20, 'x');
  REQUIRE(count_newlines(none.data(), none.size()) == 0);
}
