#include "results/fixed_width_text.hpp"

#include <algorithm>
#include <cstring>

namespace juggle::results {

std::optional<std::size_t> fixed_width(std::span<const std::string> values) noexcept {
  std::size_t width = 1, text = 0;
  for (const std::string& v : values) {
    width = std::max(width, v.size() + 1);
    text += v.size() + 1;
  }
  const std::size_t rows = values.size();
  if (rows > 0 && width > std::max(kAlwaysFixedBytes, kMaxPadding * text) / rows) return std::nullopt;
  return width;
}

std::vector<char> pad_cells(std::span<const std::string> values, std::size_t width) {
  std::vector<char> cells(values.size() * width, '\0');
  for (std::size_t i = 0; i < values.size(); ++i)
    std::memcpy(cells.data() + i * width, values[i].data(), std::min(width - 1, values[i].size()));
  return cells;
}

std::vector<std::string> unpad_cells(const char* cells, std::size_t rows, std::size_t width) {
  std::vector<std::string> out;
  out.reserve(rows);
  for (std::size_t i = 0; i < rows; ++i) {
    const std::string_view cell(cells + i * width, width);
    out.emplace_back(cell.substr(0, cell.find('\0')));
  }
  return out;
}

}  // namespace juggle::results
