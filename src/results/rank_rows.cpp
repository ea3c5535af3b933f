#include "results/vocabulary_rows.hpp"

#include "results/h5_handles.hpp"  // hdf5.h of HDF5 built with MPI brings MPI's declarations
#include "results/results_file.hpp"

namespace juggle::results {
namespace {

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
    h5::Handle group;
    std::string cannot;
    try {
      group = h5::Handle(H5Gopen2(file.id(), kVocabularyTable, H5P_DEFAULT), H5Gclose,
                         std::string("open group ") + kVocabularyTable);
    } catch (const std::exception& e) {
      cannot = e.what();
    }
    h5::throw_if_any_rank_cannot(file.id(), cannot,
                                 std::string("HDF5: cannot open group ") + kVocabularyTable + " on another rank");
    h5::write_rows(group.id(), kVocabularyCounts, part.first_row, part.counts);
    h5::write_rows(group.id(), kVocabularyPrefix, part.first_row, part.prefix);
    h5::write_rows(group.id(), kVocabularySuffixes, part.first_suffix_byte, suffix_bytes(part));
  }
  file.close("close " + path);
}

}  // namespace juggle::results
