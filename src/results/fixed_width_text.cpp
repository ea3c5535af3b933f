#include "results/fixed_width_text.hpp"

#include <algorithm>
#include <cstring>

namespace juggle::results {

TextSize text_size(std::span<const std::string> values) noexcept {
  TextSize size;
  for (const std::string& v : values) {
    size.width = std::max(size.width, v.size() + 1);
    size.text += v.size() + 1;
  }
  return size;
}

std::optional<std::size_t> fixed_width_of(std::uint64_t rows, std::size_t width, std::uint64_t text) noexcept {
  if (rows > 0 && width > std::max<std::uint64_t>(kAlwaysFixedBytes, kMaxPadding * text) / rows) return std::nullopt;
  return width;
}

std::optional<std::size_t> fixed_width(std::span<const std::string> values) noexcept {
  const TextSize size = text_size(values);
  return fixed_width_of(values.size(), size.width, size.text);
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
