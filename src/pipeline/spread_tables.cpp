#include "pipeline/spread_tables.hpp"

#include <stdexcept>
#include <string>

#include "parallel/collectives.hpp"
#include "parallel/wire.hpp"
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

// Rank 0's column, every rank's values in rank order.
std::vector<std::string> gather_text(const std::vector<std::string>& values) {
  std::vector<char> bytes;
  for (const std::string& v : values) parallel::wire::put_vector(bytes, std::vector<char>(v.begin(), v.end()));
  const std::vector<char> all = parallel::gather_bytes(bytes, 0);
  std::vector<std::string> whole;
  std::span<const char> in(all);
  std::vector<char> chars;
  while (!in.empty()) {
    if (!parallel::wire::get_vector(in, chars)) throw std::runtime_error("a text column cut short in a message");
    whole.emplace_back(chars.begin(), chars.end());
  }
  return whole;
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
    results::SpreadTable shape{table.group, parallel::sum_over_ranks(rows), {}};
    agreed.first_rows.push_back(parallel::sum_before_me(rows));
    for (const auto& [name, column] : table.columns) {
      results::SpreadColumn c{name, column.index(), 0, {}};
      if (const auto* text = std::get_if<results::kTextColumn>(&column)) {
        const results::TextSize size = results::text_size(*text);
        const std::uint64_t width = parallel::max_over_ranks(size.width);
        const std::uint64_t bytes = parallel::sum_over_ranks(size.text);
        if (const auto fixed = results::fixed_width_of(shape.rows, width, bytes))
          c.text_width = *fixed;
        else
          c.whole = gather_text(*text);
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
