#include <catch2/catch.hpp>

#include "cli/units.hpp"

using namespace juggle::cli;

TEST_CASE("sizes parse with binary and decimal suffixes", "[cli][units]") {
  CHECK(parse_size("4096") == 4096u);
  CHECK(parse_size("8MiB") == 8u << 20);
  CHECK(parse_size("8M") == 8u << 20);
  CHECK(parse_size("8mb") == 8000000u);
  CHECK(parse_size("2GiB") == 2ull << 30);
  CHECK(parse_size("1kB") == 1000u);
  CHECK_FALSE(parse_size("MiB"));
  CHECK_FALSE(parse_size("12 parsecs"));
  CHECK_FALSE(parse_size("-1"));
  CHECK_FALSE(parse_size("99999999999TiB"));
}

TEST_CASE("numbers print for humans", "[cli][units]") {
  CHECK(with_commas(0) == "0");
  CHECK(with_commas(999) == "999");
  CHECK(with_commas(1234567) == "1,234,567");
  CHECK(binary_size(512) == "512 B");
  CHECK(binary_size(64ull << 20) == "64.00 MiB");
  CHECK(fixed(3.14159, 2) == "3.14");
}
