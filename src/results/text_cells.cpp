#include "results/text_cells.hpp"

#include <cmath>
#include <cstdio>

namespace juggle::results {

std::string fixed_number(double value, int digits) {
  if (!std::isfinite(value)) return "";  // a rate over a zero time, or a damaged file's value
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", digits, value);
  return text;
}

}  // namespace juggle::results
