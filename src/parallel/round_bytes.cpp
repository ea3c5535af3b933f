#include "parallel/round_bytes.hpp"

#include <climits>
#include <cstdlib>

namespace juggle::parallel {

std::size_t round_bytes() {
  static const std::size_t limit = [] {
    std::size_t bytes = std::size_t{1} << 30;
    if (const char* v = std::getenv("JUGGLE_MPI_ROUND_BYTES")) {
      const unsigned long long n = std::strtoull(v, nullptr, 10);
      if (n > 0 && n <= static_cast<unsigned long long>(INT_MAX)) bytes = static_cast<std::size_t>(n);
    }
    return bytes;
  }();
  return limit;
}

}  // namespace juggle::parallel
