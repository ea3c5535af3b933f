#include "results/vocabulary_rows.hpp"

#include "results/column_layout.hpp"
#include "results/h5_handles.hpp"
#include "results/results_file.hpp"

namespace juggle::results {
namespace {

h5::Handle vector_space(std::uint64_t n) {
  const hsize_t dims[1] = {static_cast<hsize_t>(n)};
  return h5::Handle(H5Screate_simple(1, dims, nullptr), H5Sclose, "create dataspace");
}

void create_empty(hid_t group, const char* name, hid_t file_type, std::uint64_t rows, std::size_t element_bytes,
                  bool text) {
  const h5::Handle space = vector_space(rows);
  const h5::Handle props = h5::column_creation_properties(h5::column_layout(rows, element_bytes, text));
  const h5::Handle set(H5Dcreate2(group, name, file_type, space.id(), H5P_DEFAULT, props.id(), H5P_DEFAULT),
                       H5Dclose, std::string("create dataset ") + name);
}

void write_rows(hid_t group, const char* name, hid_t memory_type, const void* data, std::uint64_t first,
                std::uint64_t n) {
  if (n == 0) return;
  const std::string what = std::string("write dataset ") + name;
  const h5::Handle set(H5Dopen2(group, name, H5P_DEFAULT), H5Dclose, std::string("open dataset ") + name);
  const h5::Handle file_space(H5Dget_space(set.id()), H5Sclose, what);
  const hsize_t start[1] = {static_cast<hsize_t>(first)};
  const hsize_t count[1] = {static_cast<hsize_t>(n)};
  h5::check(H5Sselect_hyperslab(file_space.id(), H5S_SELECT_SET, start, nullptr, count, nullptr), what);
  const h5::Handle memory_space = vector_space(n);
  h5::check(H5Dwrite(set.id(), memory_type, memory_space.id(), file_space.id(), H5P_DEFAULT, data), what);
}

}  // namespace

void create_vocabulary(hid_t tokenize_group, const VocabularyShape& shape) {
  create_empty(tokenize_group, kVocabularyCounts, H5T_STD_U64LE, shape.rows, sizeof(std::uint64_t), false);
  create_empty(tokenize_group, kVocabularyPrefix, H5T_STD_U8LE, shape.rows, 1, false);
  create_empty(tokenize_group, kVocabularySuffixes, H5T_STD_U8LE, shape.suffix_bytes, 1, false);
}

void write_vocabulary_part(const std::string& path, const VocabularyPart& part) {
  h5::silence_hdf5_errors();
  h5::Handle file(H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose, "open " + path);
  const h5::Handle group(H5Gopen2(file.id(), kVocabularyTable, H5P_DEFAULT), H5Gclose, "open group tokenize");
  write_rows(group.id(), kVocabularyCounts, H5T_NATIVE_UINT64, part.counts.data(), part.first_row, part.counts.size());
  write_rows(group.id(), kVocabularyPrefix, H5T_NATIVE_UINT8, part.prefix.data(), part.first_row, part.prefix.size());
  write_rows(group.id(), kVocabularySuffixes, H5T_NATIVE_UINT8, part.suffixes.data(), part.first_suffix_byte,
             part.suffixes.size());
  file.close("close " + path);
}

}  // namespace juggle::results
