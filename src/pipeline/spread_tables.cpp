#include "pipeline/spread_tables.hpp"

#include <stdexcept>
#include <string>

#include "parallel/collectives.hpp"
#include "results/fixed_width_text.hpp"

namespace juggle::pipeline {
namespace {

std::uint64_t rows_of(const results::Table& table) {
  return table.columns.empty() ? 0 : std::visit([](const auto& v) -> std::uint64_t { return v.size(); },
                                                table.columns.front().second);
}

// The tables' groups, column names and types as one string (equal on every rank).
std::string signature(const std::vector<results::Table>& tables) {
  std::string s;
  for (const results::Table& t : tables) {
    s += t.group + '{';
    for (const auto& [name, column] : t.columns) s += name + ':' + std::to_string(column.index()) + ',';
    s += '}';
  }
  return s;
}

}  // namespace

AgreedTables agree_on_tables(const std::vector<results::Table>& mine) {
  std::vector<std::string> rank0{signature(mine)};
  parallel::broadcast_strings(rank0, 0);
  const std::string mismatch = rank0.at(0) == signature(mine) ? "" : "this rank's per-file tables differ from rank 0's";
  if (const std::string why = parallel::agree_on_failure(mismatch); !why.empty()) throw std::logic_error(why);
  AgreedTables agreed;
  for (const results::Table& table : mine) {
    const std::uint64_t rows = rows_of(table);
    // One reduction for the sums (the rows, then each text column's bytes), one for the widths.
    std::vector<std::uint64_t> sums{rows}, widths;
    for (const auto& [name, column] : table.columns)
      if (const auto* text = std::get_if<results::kTextColumn>(&column)) {
        const results::TextSize size = results::text_size(*text);
        sums.push_back(size.text);
        widths.push_back(size.width);
      }
    parallel::sum_over_ranks(std::span(sums));
    parallel::max_over_ranks(std::span(widths));
    results::SpreadTable shape{table.group, sums.front(), {}};
    agreed.first_rows.push_back(parallel::sum_before_me(rows));
    std::size_t text_column = 0;
    for (const auto& [name, column] : table.columns) {
      results::SpreadColumn c{name, column.index(), 0, {}};
      if (const auto* text = std::get_if<results::kTextColumn>(&column)) {
        const std::size_t t = text_column++;
        if (const auto fixed = results::fixed_width_of(shape.rows, widths[t], sums[t + 1]))
          c.text_width = *fixed;
        else
          c.whole = parallel::gather_strings(*text, 0);
      }
      shape.columns.push_back(std::move(c));
    }
    agreed.shapes.push_back(std::move(shape));
  }
  return agreed;
}

std::vector<results::TablePart> table_parts(const AgreedTables& agreed, const std::vector<results::Table>& mine) {
  std::vector<results::TablePart> parts;
  for (std::size_t i = 0; i < mine.size(); ++i) parts.push_back({&agreed.shapes.at(i), &mine[i], agreed.first_rows.at(i)});
  return parts;
}

}  // namespace juggle::pipeline
