#include "results/h5_handles.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>
#include <optional>
#include <stdexcept>

#include "results/column_layout.hpp"
#include "results/failed_on_another_rank.hpp"
#include "results/fixed_width_text.hpp"

namespace juggle::results::h5 {
namespace {

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error("HDF5: cannot " + what); }

// A UTF-8 string type of `size` bytes (NUL-padded) or H5T_VARIABLE.
Handle utf8_string_type(std::size_t size) {
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose, "copy string type");
  check(H5Tset_size(type.id(), size), "set string size");
  if (size != H5T_VARIABLE) check(H5Tset_strpad(type.id(), H5T_STR_NULLTERM), "set string padding");
  check(H5Tset_cset(type.id(), H5T_CSET_UTF8), "set string charset");
  return type;
}

// A group's attributes (the run's metadata, a stage's totals: a few dozen
// small values) and links (a table's columns) stay in its object header
// instead of moving to the B-tree and heap HDF5 sets up past 8 of them,
// which cost 1 to 4 KB a group.
void keep_group_compact(hid_t creation_props) {
  check(H5Pset_attr_phase_change(creation_props, 128, 96), "set attribute storage");
  check(H5Pset_link_phase_change(creation_props, 128, 96), "set link storage");
}

// The file format of HDF5 1.10, which 1.10 and later read (1.8 cannot):
// a table's links and attributes stay in its group's header (above), and a
// compressed column of one chunk needs no chunk B-tree (1.8's format spends
// a 1.4 KB node on it). Metadata and small data are allocated as needed
// rather than from 2 KB blocks, whose unused ends stay in the file. Files
// of a few tables and a vocabulary are some 15 KB smaller for it, which is
// what lets them match the vocabulary's gzip'd CSV.
Handle compact_file_access() {
  Handle access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "create file access properties");
  check(H5Pset_libver_bounds(access.id(), H5F_LIBVER_V110, H5F_LIBVER_V110), "set file format");
  check(H5Pset_meta_block_size(access.id(), 0), "set metadata block size");
  check(H5Pset_small_data_block_size(access.id(), 0), "set small data block size");
  return access;
}

Handle vector_space(std::size_t n) {
  const hsize_t dims[1] = {static_cast<hsize_t>(n)};
  return Handle(H5Screate_simple(1, dims, nullptr), H5Sclose, "create dataspace");
}

// Datasets get no attributes (tables' metadata is on their groups): their
// object headers need no room for them (a hint HDF5 takes since 1.10.5).
void minimise_dataset_headers([[maybe_unused]] hid_t file) {
#if H5_VERSION_GE(1, 10, 5)
  check(H5Fset_dset_no_attrs_hint(file, 1), "minimise dataset headers");
#endif
}

// The file access properties of compact_file_access, through MPI-IO over `comm`.
Handle collective_file_access(MPI_Comm comm) {
  Handle access = compact_file_access();
  check(H5Pset_fapl_mpio(access.id(), comm, MPI_INFO_NULL), "set MPI-IO file access");
  return access;
}

// The file and memory types of a column of T.
template <class T>
struct ElementTypes;
#define JUGGLE_ELEMENT_TYPES(T, FILE_TYPE, MEMORY_TYPE)     \
  template <>                                               \
  struct ElementTypes<T> {                                  \
    static hid_t file() { return FILE_TYPE; }               \
    static hid_t memory() { return MEMORY_TYPE; }           \
  };
JUGGLE_ELEMENT_TYPES(std::uint8_t, H5T_STD_U8LE, H5T_NATIVE_UINT8)
JUGGLE_ELEMENT_TYPES(std::uint32_t, H5T_STD_U32LE, H5T_NATIVE_UINT32)
JUGGLE_ELEMENT_TYPES(std::uint64_t, H5T_STD_U64LE, H5T_NATIVE_UINT64)
JUGGLE_ELEMENT_TYPES(std::int32_t, H5T_STD_I32LE, H5T_NATIVE_INT32)
JUGGLE_ELEMENT_TYPES(std::int64_t, H5T_STD_I64LE, H5T_NATIVE_INT64)
JUGGLE_ELEMENT_TYPES(double, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE)
#undef JUGGLE_ELEMENT_TYPES

// The communicator `object`'s file was opened with (a duplicate, freed here),
// or MPI_COMM_NULL when the file is not open through MPI-IO.
class FileComm {
 public:
  FileComm(hid_t object, const std::string& what) {
    const Handle file(H5Iget_file_id(object), H5Fclose, "find the file of " + what);
    const Handle access(H5Fget_access_plist(file.id()), H5Pclose, "get file access properties of " + what);
    if (H5Pget_driver(access.id()) != H5FD_MPIO) return;
    check(H5Pget_fapl_mpio(access.id(), &comm_, &info_), "get the MPI communicator of " + what);
  }
  ~FileComm() {
    if (info_ != MPI_INFO_NULL) MPI_Info_free(&info_);
    if (comm_ != MPI_COMM_NULL) MPI_Comm_free(&comm_);
  }
  FileComm(const FileComm&) = delete;
  FileComm& operator=(const FileComm&) = delete;
  [[nodiscard]] MPI_Comm comm() const noexcept { return comm_; }

 private:
  MPI_Comm comm_ = MPI_COMM_NULL;
  MPI_Info info_ = MPI_INFO_NULL;
};

// Whether any rank of `comm` says true (every rank learns the same answer);
// for MPI_COMM_NULL (a file of this process alone), `mine`.
bool any_rank(MPI_Comm comm, bool mine) {
  if (comm == MPI_COMM_NULL) return mine;
  int local = mine ? 1 : 0;
  int any = 0;
  if (MPI_Allreduce(&local, &any, 1, MPI_INT, MPI_MAX, comm) != MPI_SUCCESS) {
    throw std::runtime_error("MPI: cannot agree on the outcome of a collective HDF5 write");
  }
  return any != 0;
}

// Throws on every rank of `comm` when `cannot` is not empty on any: `cannot`
// on the ranks that failed, FailedOnAnotherRank(elsewhere) on the others.
void throw_if_any_rank_cannot(MPI_Comm comm, const std::string& cannot, const std::string& elsewhere) {
  if (!any_rank(comm, !cannot.empty())) return;
  if (cannot.empty()) throw FailedOnAnotherRank(elsewhere);
  throw AgreedFailure(cannot);
}

// Writes a column of a native type; `memory_type` describes the elements,
// `element_bytes` their size in the file and `text` whether they are
// characters (for the column's layout).
void write_native(hid_t parent, const std::string& name, hid_t file_type, hid_t memory_type, const void* data,
                  std::size_t n, std::size_t element_bytes, bool text = false) {
  const Handle space = vector_space(n);
  const Handle props = column_creation_properties(column_layout(n, element_bytes, text));
  const Handle set(H5Dcreate2(parent, name.c_str(), file_type, space.id(), H5P_DEFAULT, props.id(), H5P_DEFAULT),
                   H5Dclose, "create dataset " + name);
  if (n > 0) check(H5Dwrite(set.id(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), "write dataset " + name);
}

void write_scalar_attribute(hid_t object, const std::string& name, hid_t file_type, hid_t memory_type,
                            const void* value) {
  const Handle space(H5Screate(H5S_SCALAR), H5Sclose, "create scalar dataspace");
  const Handle attr(H5Acreate2(object, name.c_str(), file_type, space.id(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                    "create attribute " + name);
  check(H5Awrite(attr.id(), memory_type, value), "write attribute " + name);
}

}  // namespace

void check(herr_t status, const std::string& what) {
  if (status < 0) fail(what);
}

Handle::Handle(hid_t id, Closer closer, const std::string& what) : id_(id), closer_(closer) {
  if (id < 0) fail(what);
}

void Handle::reset() noexcept {
  if (id_ >= 0 && closer_) closer_(id_);
  id_ = -1;
}

void Handle::close(const std::string& what) {
  const hid_t id = std::exchange(id_, -1);
  if (id >= 0 && closer_) check(closer_(id), what);
}

void silence_hdf5_errors() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

std::string library_version() {
  unsigned major = 0, minor = 0, release = 0;
  H5get_libversion(&major, &minor, &release);
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(release);
}

Handle create_file(const std::string& path) {
  const Handle creation(H5Pcreate(H5P_FILE_CREATE), H5Pclose, "create file creation properties");
  keep_group_compact(creation.id());
  const Handle access = compact_file_access();
  // HDF5 says only that it failed; the system's reason (a full disk, a
  // read-only folder) is in errno, set by the open(2) or write(2) it made.
  errno = 0;
  const hid_t id = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, creation.id(), access.id());
  const int err = errno;
  if (id < 0) fail("create " + path + (err != 0 ? std::string(": ") + std::strerror(err) : std::string()));
  Handle file(id, H5Fclose, "create " + path);
  minimise_dataset_headers(id);
  return file;
}

Handle create_file_collective(const std::string& path, MPI_Comm comm) {
  const Handle creation(H5Pcreate(H5P_FILE_CREATE), H5Pclose, "create file creation properties");
  keep_group_compact(creation.id());
  const Handle access = collective_file_access(comm);
  // MPI-IO opens the file; errno is the system's reason when it was open(2) that failed.
  errno = 0;
  const hid_t id = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, creation.id(), access.id());
  const int err = errno;
  if (id < 0) fail("create " + path + " on all ranks" + (err != 0 ? std::string(": ") + std::strerror(err) : std::string()));
  Handle file(id, H5Fclose, "create " + path);
  minimise_dataset_headers(id);
  return file;
}

Handle open_file_collective(const std::string& path, MPI_Comm comm) {
  // A rank that sees the file but may not write it (a read-only mount on
  // its node) would fail in the open alone and leave the others in their
  // first collective write: every rank checks first, and all agree.
  const std::string what = "open " + path + " read-write on all ranks";
  std::string cannot;
  if (::access(path.c_str(), R_OK | W_OK) != 0) cannot = "HDF5: cannot " + what + ": " + std::strerror(errno);
  throw_if_any_rank_cannot(comm, cannot, "HDF5: cannot " + what + ": another rank cannot");
  const Handle access = collective_file_access(comm);
  errno = 0;
  const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDWR, access.id());
  const int err = errno;
  cannot = id < 0 ? "HDF5: cannot " + what + (err != 0 ? std::string(": ") + std::strerror(err) : std::string()) : "";
  if (any_rank(comm, id < 0)) {
    if (id >= 0) H5Fclose(id);
    if (cannot.empty()) throw FailedOnAnotherRank("HDF5: cannot " + what + ": another rank cannot");
    throw AgreedFailure(cannot);
  }
  Handle file(id, H5Fclose, "open " + path);
  minimise_dataset_headers(id);
  return file;
}

Handle create_group(hid_t parent, const std::string& name) {
  // Intermediate groups ("count" in "count/files") are created as needed.
  const Handle props(H5Pcreate(H5P_LINK_CREATE), H5Pclose, "create link properties");
  check(H5Pset_create_intermediate_group(props.id(), 1), "set intermediate groups");
  const Handle creation(H5Pcreate(H5P_GROUP_CREATE), H5Pclose, "create group properties");
  keep_group_compact(creation.id());
  return Handle(H5Gcreate2(parent, name.c_str(), props.id(), creation.id(), H5P_DEFAULT), H5Gclose,
                "create group " + name);
}

void write_column(hid_t parent, const std::string& name, std::span<const std::int32_t> v) {
  write_native(parent, name, H5T_STD_I32LE, H5T_NATIVE_INT32, v.data(), v.size(), sizeof(v[0]));
}
void write_column(hid_t parent, const std::string& name, std::span<const std::int64_t> v) {
  write_native(parent, name, H5T_STD_I64LE, H5T_NATIVE_INT64, v.data(), v.size(), sizeof(v[0]));
}
void write_column(hid_t parent, const std::string& name, std::span<const std::uint32_t> v) {
  write_native(parent, name, H5T_STD_U32LE, H5T_NATIVE_UINT32, v.data(), v.size(), sizeof(v[0]));
}
void write_column(hid_t parent, const std::string& name, std::span<const std::uint64_t> v) {
  write_native(parent, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, v.data(), v.size(), sizeof(v[0]));
}
void write_column(hid_t parent, const std::string& name, std::span<const std::uint8_t> v) {
  write_native(parent, name, H5T_STD_U8LE, H5T_NATIVE_UINT8, v.data(), v.size(), sizeof(v[0]));
}
void write_column(hid_t parent, const std::string& name, std::span<const double> v) {
  write_native(parent, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, v.data(), v.size(), sizeof(v[0]));
}

void write_column(hid_t parent, const std::string& name, std::span<const std::string> values) {
  if (const std::optional<std::size_t> width = fixed_width(values)) {
    const std::vector<char> cells = pad_cells(values, *width);
    const Handle type = utf8_string_type(*width);
    write_native(parent, name, type.id(), type.id(), cells.data(), values.size(), *width, true);
    return;
  }
  std::vector<const char*> pointers;
  pointers.reserve(values.size());
  for (const std::string& s : values) pointers.push_back(s.c_str());
  const Handle type = utf8_string_type(H5T_VARIABLE);
  // In the file a row is a 16-byte reference into the heap, which is what the chunks hold.
  write_native(parent, name, type.id(), type.id(), pointers.data(), pointers.size(), 16);
}

void write_attribute(hid_t object, const std::string& name, std::int64_t value) {
  write_scalar_attribute(object, name, H5T_STD_I64LE, H5T_NATIVE_INT64, &value);
}
void write_attribute(hid_t object, const std::string& name, std::uint64_t value) {
  write_scalar_attribute(object, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, &value);
}
void write_attribute(hid_t object, const std::string& name, double value) {
  write_scalar_attribute(object, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value);
}
void write_attribute(hid_t object, const std::string& name, const std::string& value) {
  const Handle type = utf8_string_type(H5T_VARIABLE);
  const char* pointer = value.c_str();
  write_scalar_attribute(object, name, type.id(), type.id(), &pointer);
}

void throw_if_any_rank_cannot(hid_t object, const std::string& cannot, const std::string& elsewhere) {
  const FileComm file_comm(object, "the file");
  throw_if_any_rank_cannot(file_comm.comm(), cannot, elsewhere);
}

void close_everywhere(Handle& file, MPI_Comm comm, const std::string& what) {
  std::string cannot;
  try {
    file.close(what);
  } catch (const std::exception& e) {
    cannot = e.what();
  }
  throw_if_any_rank_cannot(comm, cannot, "HDF5: cannot " + what + ": failed on another rank");
}

namespace {

// Creates the column `name` of `rows` elements of `file_type`, `element_bytes` each, unwritten.
void create_unwritten(hid_t parent, const std::string& name, hid_t file_type, std::uint64_t rows,
                      std::size_t element_bytes, bool text) {
  const Handle space = vector_space(rows);
  const Handle props = column_creation_properties(column_layout(rows, element_bytes, text));
  const Handle set(H5Dcreate2(parent, name.c_str(), file_type, space.id(), H5P_DEFAULT, props.id(), H5P_DEFAULT),
                   H5Dclose, "create dataset " + name);
}

// This rank's `n` rows at `offset` of the column `name` (write_rows' contract).
// `prepare` runs before the ranks agree that each can write, so what it
// allocates (padded cells) cannot fail on one rank inside the collective
// write; it returns the memory type and the rows' bytes.
using PrepareRows = std::function<std::pair<hid_t, const void*>()>;

void write_prepared_rows(hid_t parent, const std::string& name, std::uint64_t offset, std::uint64_t n,
                         const PrepareRows& prepare) {
  const std::string what = "dataset " + name;
  const std::string rows_of_what =
      "write rows [" + std::to_string(offset) + ", " + std::to_string(offset + n) + ") of " + what;
  // The communicator comes from the parent, which every rank holds, so a
  // rank that fails below can still tell the others.
  const FileComm file_comm(parent, what);
  const MPI_Comm comm = file_comm.comm();  // MPI_COMM_NULL: a file of this process alone

  // Any step before the write may fail on one rank alone (rows that do not
  // fit, a failed open or selection): each rank prepares, and all agree
  // before any enters the collective H5Dwrite, so none is left waiting there.
  std::string cannot;
  std::optional<Handle> set, file_space, memory_space, transfer;
  hsize_t dims[1] = {0};
  std::pair<hid_t, const void*> memory{-1, nullptr};
  try {
    set.emplace(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose, "open " + what);
    file_space.emplace(H5Dget_space(set->id()), H5Sclose, "get dataspace of " + what);
    if (H5Sget_simple_extent_ndims(file_space->id()) != 1) fail(rows_of_what + ": it is not a column");
    check(H5Sget_simple_extent_dims(file_space->id(), dims, nullptr), "get size of " + what);
    if (offset > dims[0] || n > dims[0] - offset) fail(rows_of_what + ": it has " + std::to_string(dims[0]) + " rows");
    const hsize_t count[1] = {static_cast<hsize_t>(n)};
    const hsize_t start[1] = {static_cast<hsize_t>(offset)};
    memory_space.emplace(H5Screate_simple(1, count, nullptr), H5Sclose, "create dataspace");
    if (n > 0) {
      check(H5Sselect_hyperslab(file_space->id(), H5S_SELECT_SET, start, nullptr, count, nullptr),
            "select rows of " + what);
    } else {
      check(H5Sselect_none(file_space->id()), "select no rows of " + what);
      check(H5Sselect_none(memory_space->id()), "select no rows of " + what);
    }
    transfer.emplace(H5Pcreate(H5P_DATASET_XFER), H5Pclose, "create transfer properties");
    if (comm != MPI_COMM_NULL) check(H5Pset_dxpl_mpio(transfer->id(), H5FD_MPIO_COLLECTIVE), "set collective transfer");
    memory = prepare();
  } catch (const std::exception& e) {  // std::bad_alloc too: no rank may skip the agreement
    cannot = e.what();
  }
  throw_if_any_rank_cannot(comm, cannot, "HDF5: cannot " + rows_of_what + ": another rank cannot write its rows");

  // A column of no rows has no storage, and HDF5 1.10.8's collective write
  // to it fails ("addr overflow") even with nothing selected: there is
  // nothing to write, and every rank sees the same size, so none calls it.
  if (dims[0] == 0) return;

  const std::uint64_t nothing = 0;  // a buffer for a rank without rows (nothing selected is read)
  const herr_t status = H5Dwrite(set->id(), memory.first, memory_space->id(), file_space->id(), transfer->id(),
                                 n > 0 ? memory.second : &nothing);
  // A write that failed anywhere leaves the column incomplete everywhere.
  throw_if_any_rank_cannot(comm, status < 0 ? "HDF5: cannot " + rows_of_what : std::string(),
                           "HDF5: cannot " + rows_of_what + ": another rank's write failed");
}

}  // namespace

template <RowElement T>
void create_column(hid_t parent, const std::string& name, std::uint64_t rows) {
  create_unwritten(parent, name, ElementTypes<T>::file(), rows, sizeof(T), false);
}

template <RowElement T>
void write_rows(hid_t parent, const std::string& name, std::uint64_t offset, std::span<const T> rows) {
  write_prepared_rows(parent, name, offset, rows.size(), [&] {
    return std::pair<hid_t, const void*>(ElementTypes<T>::memory(), rows.data());
  });
}

void create_text_column(hid_t parent, const std::string& name, std::uint64_t rows, std::size_t width) {
  const Handle type = utf8_string_type(width);
  create_unwritten(parent, name, type.id(), rows, width, true);
}

void write_text_rows(hid_t parent, const std::string& name, std::uint64_t offset, std::span<const std::string> rows,
                     std::size_t width) {
  std::vector<char> cells;
  std::optional<Handle> type;
  write_prepared_rows(parent, name, offset, rows.size(), [&] {
    for (const std::string& row : rows)
      if (row.size() >= width) fail("write " + name + ": a cell of " + std::to_string(row.size()) +
                                    " bytes in a column " + std::to_string(width) + " wide");
    cells = pad_cells(rows, width);
    type.emplace(utf8_string_type(width));
    return std::pair<hid_t, const void*>(type->id(), cells.data());
  });
}

#define JUGGLE_ROW_ELEMENT(T)                                                            \
  template void create_column<T>(hid_t, const std::string&, std::uint64_t);                \
  template void write_rows<T>(hid_t, const std::string&, std::uint64_t, std::span<const T>);
JUGGLE_ROW_ELEMENT(std::uint8_t)
JUGGLE_ROW_ELEMENT(std::uint32_t)
JUGGLE_ROW_ELEMENT(std::uint64_t)
JUGGLE_ROW_ELEMENT(std::int32_t)
JUGGLE_ROW_ELEMENT(std::int64_t)
JUGGLE_ROW_ELEMENT(double)
#undef JUGGLE_ROW_ELEMENT

}  // namespace juggle::results::h5
