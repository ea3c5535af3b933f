// A table of text cells, as a results file holds benchmark tables (make
// bench) and as `juggle report` renders every table (report/text_table.hpp).
#pragma once

#include <string>
#include <vector>

namespace juggle::results {

struct TextTable {
  std::vector<std::string> heads;
  // Per column: text (left-aligned, a JSON string) or a number (right-
  // aligned, bare in JSON). An empty number cell is a value that does not
  // exist: "-" for people, an empty CSV field, JSON null.
  std::vector<bool> text;
  std::vector<std::vector<std::string>> rows;
};

// A number cell: "%.*f"; empty (no value) for NaN and infinities, which
// JSON cannot carry.
[[nodiscard]] std::string fixed_number(double value, int digits);

}  // namespace juggle::results
