// The shape of the tables whose rows stay on the ranks (per-file tables,
// results/spread_table.hpp), agreed before rank 0 creates them: the rows
// of all ranks, and for each text column the width a column written whole
// would have. A text column that stays variable-length is gathered to
// rank 0 (HDF5 writes such strings from one process only).
#pragma once

#include <cstdint>
#include <vector>

#include "results/spread_table.hpp"
#include "results/table.hpp"

namespace juggle::pipeline {

struct AgreedTables {
  std::vector<results::SpreadTable> shapes;  // the same on every rank (but a gathered column, on rank 0)
  std::vector<std::uint64_t> first_rows;     // of this rank's rows, per table
};

// Collective: every rank passes its rows of the same tables (groups and
// columns in the same order; throws std::logic_error on every rank when
// they are not).
[[nodiscard]] AgreedTables agree_on_tables(const std::vector<results::Table>& mine);

// This rank's parts to write (results::RankRows::tables): mine[i] under
// agreed.shapes[i].
[[nodiscard]] std::vector<results::TablePart> table_parts(const AgreedTables& agreed,
                                                          const std::vector<results::Table>& mine);

}  // namespace juggle::pipeline
