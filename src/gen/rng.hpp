// A small, fast, portable random number generator (xoshiro256** seeded by
// splitmix64). The corpus must be the same bytes on every machine and every
// thread count, so nothing here depends on the standard library's
// implementation-defined distributions.
#pragma once

#include <cstdint>

namespace juggle::gen {

class Rng {
 public:
  // Independent streams for the same seed: e.g. one per generated file.
  explicit Rng(std::uint64_t seed, std::uint64_t stream = 0) noexcept;
  std::uint64_t next() noexcept;
  // Uniform in [0, 1) with 53 random bits.
  double uniform() noexcept;
  // Uniform in [0, n) for n >= 1 (Lemire's multiply-shift; bias < 2^-64 * n).
  std::uint64_t below(std::uint64_t n) noexcept;
  // Uniform in [lo, hi].
  std::uint64_t between(std::uint64_t lo, std::uint64_t hi) noexcept { return lo + below(hi - lo + 1); }
  // Standard normal (Box-Muller).
  double normal() noexcept;

 private:
  std::uint64_t s_[4];
};

}  // namespace juggle::gen
