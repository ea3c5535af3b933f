// A table of a results file as plain values: a group of equal-length
// columns, each a 1-D dataset of numbers or UTF-8 text.
#pragma once

#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace juggle::results {

using Column =
    std::variant<std::vector<std::int32_t>, std::vector<std::int64_t>, std::vector<std::uint32_t>,
                 std::vector<std::uint64_t>, std::vector<std::uint8_t>, std::vector<double>, std::vector<std::string>>;

// One column from a field of every row: column_of<std::uint64_t>(rows, [](auto& r) { return r.lines; }).
template <class T, class Rows, class Get>
[[nodiscard]] std::vector<T> column_of(const Rows& rows, Get get) {
  std::vector<T> values;
  values.reserve(rows.size());
  for (const auto& row : rows) values.push_back(static_cast<T>(get(row)));
  return values;
}

// A group of equal-length columns, e.g. "count/files".
struct Table {
  std::string group;
  std::vector<std::pair<std::string, Column>> columns;
};

// The alternative of Column whose values are text.
inline constexpr std::size_t kTextColumn = 6;
static_assert(std::is_same_v<std::variant_alternative_t<kTextColumn, Column>, std::vector<std::string>>);

}  // namespace juggle::results
