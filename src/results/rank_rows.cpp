#include "results/rank_rows.hpp"

#include "results/event_columns.hpp"
#include "results/failed_on_another_rank.hpp"
#include "results/h5_handles.hpp"  // hdf5.h of HDF5 built with MPI brings MPI's declarations
#include "results/results_file.hpp"

namespace juggle::results {
namespace {

std::span<const std::uint8_t> suffix_bytes(const VocabularyPart& part) {
  return {reinterpret_cast<const std::uint8_t*>(part.suffixes.data()), part.suffixes.size()};
}

// The group `name` of `file`, opened on every rank or on none (a rank that
// cannot open it must not leave the others waiting in the writes).
h5::Handle open_group_everywhere(hid_t file, const char* name) {
  h5::Handle group;
  std::string cannot;
  try {
    group = h5::Handle(H5Gopen2(file, name, H5P_DEFAULT), H5Gclose, std::string("open group ") + name);
  } catch (const std::exception& e) {
    cannot = e.what();
  }
  h5::throw_if_any_rank_cannot(file, cannot, std::string("HDF5: cannot open group ") + name + " on another rank");
  return group;
}

// This rank's rows of `part`'s columns (collective, column by column); a
// variable-length text column was written whole by rank 0.
void write_table_part(hid_t file, const TablePart& part) {
  const SpreadTable& shape = *part.shape;
  const auto& columns = part.rows->columns;
  std::string cannot;
  bool fits = columns.size() == shape.columns.size();
  for (std::size_t i = 0; fits && i < shape.columns.size(); ++i)
    fits = columns[i].first == shape.columns[i].name && columns[i].second.index() == shape.columns[i].type;
  if (!fits) cannot = "a rank's rows do not fit the table";
  h5::throw_if_any_rank_cannot(file, cannot, "another rank's rows do not fit the table");
  const h5::Handle group = open_group_everywhere(file, shape.group.c_str());
  for (std::size_t i = 0; i < shape.columns.size(); ++i) {
    const SpreadColumn& column = shape.columns[i];
    std::visit(
        [&]<class T>(const std::vector<T>& values) {
          if constexpr (h5::RowElement<T>) {
            h5::write_rows(group.id(), column.name, part.first_row, std::span<const T>(values));
          } else if (column.text_width > 0) {
            h5::write_text_rows(group.id(), column.name, part.first_row, std::span<const std::string>(values),
                                column.text_width);
          }
        },
        part.rows->columns[i].second);
  }
}

// Every rank's rows, dataset by dataset (collective).
void write_all(const h5::Handle& file, const RankRows& rows) {
  // Every allocation before the first collective write, agreed: a rank
  // that threw between two writes would leave the others waiting in one.
  EventColumns columns;
  std::string cannot;
  try {
    columns = event_columns(rows.events);
  } catch (const std::exception& e) {
    cannot = std::string("events: ") + e.what();
  }
  h5::throw_if_any_rank_cannot(file.id(), cannot, "events: failed on another rank");
  // Groups are closed before the file: through MPI-IO a file does not close while a group of it is open.
  {
    const h5::Handle events = open_group_everywhere(file.id(), kEventsGroup);
    for_each_event_column(columns, [&]<class T>(const char* name, const std::vector<T>& values) {
      h5::write_rows(events.id(), name, rows.first_event, std::span<const T>(values));
    });
  }
  if (rows.vocabulary) {
    const VocabularyPart& part = *rows.vocabulary;
    const h5::Handle group = open_group_everywhere(file.id(), kVocabularyTable);
    h5::write_rows(group.id(), kVocabularyCounts, part.first_row, part.counts);
    h5::write_rows(group.id(), kVocabularyPrefix, part.first_row, part.prefix);
    h5::write_rows(group.id(), kVocabularySuffixes, part.first_suffix_byte, suffix_bytes(part));
  }
  for (const TablePart& part : rows.tables) write_table_part(file.id(), part);
}

}  // namespace

void write_rank_rows(const std::string& path, const RankRows& rows) {
  h5::silence_hdf5_errors();
  int with_mpi = 0;
  MPI_Initialized(&with_mpi);
  h5::Handle file = with_mpi != 0
                        ? h5::open_file_collective(path, MPI_COMM_WORLD)
                        : h5::Handle(H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose, "open " + path);
  try {
    write_all(file, rows);
  } catch (const AgreedFailure&) {
    throw;  // on every rank: they close the file together as their stacks unwind
  } catch (...) {
    // This rank's alone: the others may wait in a collective write, so the
    // job must stop (run_on_all_ranks), and the collective close of the
    // file would wait for them.
    file.release();
    throw;
  }
  h5::close_everywhere(file, with_mpi != 0 ? MPI_COMM_WORLD : MPI_COMM_NULL, "close " + path);
}

}  // namespace juggle::results
