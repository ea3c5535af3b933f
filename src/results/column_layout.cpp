#include "results/column_layout.hpp"

#include <algorithm>

namespace juggle::results::h5 {
namespace {

// An HDF5 built without zlib has no deflate filter: its files stay
// uncompressed rather than unwritable.
bool deflate_available() {
  static const bool available = H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0;
  return available;
}

}  // namespace

ColumnLayout column_layout(std::size_t rows, std::size_t element_bytes, bool text) noexcept {
  if (rows == 0 || element_bytes == 0 || rows * element_bytes < kCompressFromBytes) return {};
  return {.compressed = true,
          .chunk_rows = std::min(rows, std::max<std::size_t>(1, kChunkBytes / element_bytes)),
          .shuffle = !text && element_bytes > 1};
}

Handle column_creation_properties(const ColumnLayout& layout) {
  Handle props(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "create dataset properties");
  if (!layout.compressed || !deflate_available()) return props;
  const hsize_t chunk[1] = {static_cast<hsize_t>(layout.chunk_rows)};
  check(H5Pset_chunk(props.id(), 1, chunk), "set chunk size");
  if (layout.shuffle) check(H5Pset_shuffle(props.id()), "set shuffle filter");
  check(H5Pset_deflate(props.id(), kDeflateLevel), "set deflate filter");
  return props;
}

}  // namespace juggle::results::h5
