// Sizes on the command line and numbers in human output.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "results/rates.hpp"

namespace juggle::cli {

// "4096", "8KiB", "8MiB", "2GiB" (binary); "8K"/"8M"/"8G" are binary too;
// "8kB"/"8MB"/"8GB" are decimal. nullopt when malformed or overflowing.
[[nodiscard]] std::optional<std::uint64_t> parse_size(std::string_view text);

// 1234567 -> "1,234,567"
[[nodiscard]] std::string with_commas(std::uint64_t value);

// 67108864 -> "64.00 MiB"
[[nodiscard]] std::string binary_size(std::uint64_t bytes);

using results::per_second;

// Fixed-point with `digits` decimals.
[[nodiscard]] std::string fixed(double value, int digits);

}  // namespace juggle::cli
