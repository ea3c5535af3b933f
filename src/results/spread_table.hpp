// A table whose rows are spread over the ranks: a stage's per-file rows,
// each rank holding those of the files it is home to (a block of the input
// order, pipeline/file_homes.hpp).
//
// It is written as the vocabulary is (rank_rows.hpp): rank 0 creates its
// columns at full size, empty (write_results_file), from a shape the ranks
// agreed on; then each rank writes its own rows. The columns' layout is
// that of the table written whole by one process (column_layout.hpp,
// fixed_width_text.hpp): a text column's cell width is the longest cell
// over all ranks, and its choice between fixed and variable width is made
// from the whole column's rows and bytes. HDF5 cannot write
// variable-length strings in parallel, so a text column that stays
// variable-length (a very long cell among many short ones) is gathered to
// rank 0 and written whole there instead: rare, and then only that column.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "results/table.hpp"

namespace juggle::results {

struct SpreadColumn {
  std::string name;
  std::size_t type = 0;        // the Column alternative (Column::index())
  std::size_t text_width = 0;  // text: the cell width, NUL included; 0: variable-length, written whole
  std::vector<std::string> whole;  // variable-length text: every row (rank 0 only)
};

// A spread table's shape, the same on every rank (but `whole`).
struct SpreadTable {
  std::string group;
  std::uint64_t rows = 0;
  std::vector<SpreadColumn> columns;
};

// One rank's rows of a spread table: row i of each column of `rows` (the
// columns of `shape`, in its order) goes to row first_row + i.
struct TablePart {
  const SpreadTable* shape = nullptr;
  const Table* rows = nullptr;
  std::uint64_t first_row = 0;
};

// A Column of no rows holding the alternative `type`.
[[nodiscard]] Column empty_column(std::size_t type);

}  // namespace juggle::results
