#include "results/vocabulary_rows.hpp"

#include "results/h5_handles.hpp"  // hdf5.h of HDF5 built with MPI brings MPI's declarations
#include "results/results_file.hpp"

namespace juggle::results {
namespace {

// Rows [first, first + rows.size()) of a column, in a file opened by this process alone.
template <h5::RowElement T>
void write_alone(hid_t group, const char* name, hid_t memory_type, std::uint64_t first, std::span<const T> rows) {
  if (rows.empty()) return;
  const std::string what = std::string("write dataset ") + name;
  const h5::Handle set(H5Dopen2(group, name, H5P_DEFAULT), H5Dclose, std::string("open dataset ") + name);
  const h5::Handle file_space(H5Dget_space(set.id()), H5Sclose, what);
  const hsize_t start[1] = {static_cast<hsize_t>(first)};
  const hsize_t count[1] = {static_cast<hsize_t>(rows.size())};
  h5::check(H5Sselect_hyperslab(file_space.id(), H5S_SELECT_SET, start, nullptr, count, nullptr), what);
  const h5::Handle memory_space(H5Screate_simple(1, count, nullptr), H5Sclose, what);
  h5::check(H5Dwrite(set.id(), memory_type, memory_space.id(), file_space.id(), H5P_DEFAULT, rows.data()), what);
}

std::span<const std::uint8_t> suffix_bytes(const VocabularyPart& part) {
  return {reinterpret_cast<const std::uint8_t*>(part.suffixes.data()), part.suffixes.size()};
}

}  // namespace

void write_vocabulary_part(const std::string& path, const VocabularyPart& part) {
  h5::silence_hdf5_errors();
  int with_mpi = 0;
  MPI_Initialized(&with_mpi);
  h5::Handle file = with_mpi != 0
                        ? h5::open_file_collective(path, MPI_COMM_WORLD)
                        : h5::Handle(H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose, "open " + path);
  {
    // Closed before the file: through MPI-IO a file does not close while a group of it is open.
    const h5::Handle group(H5Gopen2(file.id(), kVocabularyTable, H5P_DEFAULT), H5Gclose,
                           std::string("open group ") + kVocabularyTable);
    if (with_mpi != 0) {
      h5::write_rows(group.id(), kVocabularyCounts, part.first_row, part.counts);
      h5::write_rows(group.id(), kVocabularyPrefix, part.first_row, part.prefix);
      h5::write_rows(group.id(), kVocabularySuffixes, part.first_suffix_byte, suffix_bytes(part));
    } else {
      write_alone(group.id(), kVocabularyCounts, H5T_NATIVE_UINT64, part.first_row, part.counts);
      write_alone(group.id(), kVocabularyPrefix, H5T_NATIVE_UINT8, part.first_row, part.prefix);
      write_alone(group.id(), kVocabularySuffixes, H5T_NATIVE_UINT8, part.first_suffix_byte, suffix_bytes(part));
    }
  }
  file.close("close " + path);
}

}  // namespace juggle::results
