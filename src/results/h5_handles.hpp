// A thin RAII layer over the HDF5 C API: handles that close themselves, and
// the two shapes juggle writes (1-D column datasets, laid out as
// column_layout.hpp says, and scalar attributes).
// Every failure throws std::runtime_error naming the object; HDF5's own
// error stack printing is switched off so stderr stays one line per problem.
//
// One file from all ranks. A vocabulary can outgrow one rank's memory, so
// its columns are written by every rank at once: each rank its own rows
// [offset, offset + n), the offsets agreed by a prefix sum of the ranks'
// row counts, and no rank ever holds a whole column. That is HDF5 built
// with MPI (the MPI-IO driver, H5Pset_fapl_mpio), which juggle requires
// (CMakeLists.txt); its hdf5.h includes <mpi.h>, which is where MPI_Comm
// comes from here. The collective functions below are called by every rank
// of the file's communicator with the same arguments (except a rank's own
// rows), in the same order: HDF5 changes a file's metadata collectively,
// and a rank that skips a call leaves the others waiting in it.
//
// Measured on Debian 12 (HDF5 1.10.8 libhdf5-openmpi-dev, OpenMPI 4.1.4,
// 2 cores), and what the code relies on:
// - A compressed column (chunked, shuffle + deflate) may be created either
//   collectively in a file opened with create_file_collective, or by rank 0
//   alone in a file it created serially (create_file) and closed before the
//   ranks open it with open_file_collective: both read back equal after
//   3 ranks (one with no rows) wrote their rows, and the files were of the
//   same size. A collective creation allocates the chunks early (HDF5
//   does so on MPI-IO), a serial one as they are written; no fill values
//   are written either way (fill time "if set", none set).
// - Writing to a compressed dataset in parallel needs a collective
//   transfer (HDF5 1.10.2 and later): with an independent one H5Dwrite
//   fails on every rank ("independent I/O was requested"). write_rows
//   always asks for a collective transfer, and ranks without rows take
//   part with an empty selection.
// - One collective H5Dwrite of 2^31 + 5 one-byte elements per rank
//   (2 GiB, more than an int counts) wrote and read back equal, compressed
//   and contiguous, on 1 and 2 ranks: HDF5 1.10.8 builds large MPI types
//   itself, so write_rows makes one call whatever the size.
// - Through MPI-IO, closing a file while a group or dataset of it is open
//   fails (HDF5's "semi" close degree, the MPI-IO default; a serially
//   opened file closes them along): close them before the file.
// - A collective write to a column of no rows fails in 1.10.8 ("addr
//   overflow": it has no storage) even with nothing selected, so
//   write_rows makes none there.
// - A small column (contiguous, uncompressed) created by rank 0 in a
//   serial file is written collectively like a compressed one.
#pragma once

#include <hdf5.h>

#if !defined(H5_HAVE_PARALLEL)
#error "juggle needs HDF5 built with MPI (H5_HAVE_PARALLEL): see CMakeLists.txt"
#endif

#include <concepts>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace juggle::results::h5 {

class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle() noexcept = default;
  Handle(hid_t id, Closer closer, const std::string& what);  // throws if id < 0
  ~Handle() { reset(); }
  Handle(Handle&& other) noexcept : id_(std::exchange(other.id_, -1)), closer_(other.closer_) {}
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, -1);
      closer_ = other.closer_;
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  [[nodiscard]] hid_t id() const noexcept { return id_; }
  // Closes now and reports failure (a file's close is where data reaches disk).
  void close(const std::string& what);
  // Forgets the object without closing it: for a file open on every rank,
  // whose close is collective, on a rank that must stop without the others
  // (its process is about to end).
  void release() noexcept { id_ = -1; }

 private:
  void reset() noexcept;
  hid_t id_ = -1;
  Closer closer_ = nullptr;
};

// Throws std::runtime_error("HDF5: cannot " + what) when `status` is an HDF5 failure.
void check(herr_t status, const std::string& what);

void silence_hdf5_errors();
[[nodiscard]] std::string library_version();

[[nodiscard]] Handle create_file(const std::string& path);  // truncates
[[nodiscard]] Handle create_group(hid_t parent, const std::string& name);

void write_column(hid_t parent, const std::string& name, std::span<const std::int32_t> values);
void write_column(hid_t parent, const std::string& name, std::span<const std::int64_t> values);
void write_column(hid_t parent, const std::string& name, std::span<const std::uint32_t> values);
void write_column(hid_t parent, const std::string& name, std::span<const std::uint64_t> values);
void write_column(hid_t parent, const std::string& name, std::span<const std::uint8_t> values);
void write_column(hid_t parent, const std::string& name, std::span<const double> values);
// UTF-8 strings, fixed-width where that is cheap (fixed_width_text.hpp),
// else variable-length; h5py's `.asstr()[:]` gives str for both.
void write_column(hid_t parent, const std::string& name, std::span<const std::string> values);

void write_attribute(hid_t object, const std::string& name, std::int64_t value);
void write_attribute(hid_t object, const std::string& name, std::uint64_t value);
void write_attribute(hid_t object, const std::string& name, double value);
void write_attribute(hid_t object, const std::string& name, const std::string& value);

// --- One file from all ranks (collective: see the top of this file) ---

// Creates (truncates) `path` for every rank of `comm` through MPI-IO, with
// create_file's format and layout settings. Collective; `path` is the same
// file on every rank (a shared file system).
[[nodiscard]] Handle create_file_collective(const std::string& path, MPI_Comm comm);
// Opens the existing results file `path` read-write on every rank of
// `comm` through MPI-IO. Collective. Groups, columns and attributes made in
// the file are made collectively (create_group, create_column and
// write_attribute, called by every rank with the same arguments). When a
// rank cannot open it (or may not write it), every rank throws: that rank
// its reason, the others FailedOnAnotherRank.
[[nodiscard]] Handle open_file_collective(const std::string& path, MPI_Comm comm);

// The element types a column written by rows may hold.
template <class T>
concept RowElement = std::same_as<T, std::uint8_t> || std::same_as<T, std::uint32_t> ||
                     std::same_as<T, std::uint64_t> || std::same_as<T, std::int32_t> ||
                     std::same_as<T, std::int64_t> || std::same_as<T, double>;

// Creates the 1-D column `name` of `rows` elements of T without writing
// any: the layout write_column gives a column of that many rows
// (column_layout.hpp), so it reads the same. In a file opened collectively
// every rank calls it with the same arguments; in a serially opened file
// one process does, before the ranks open it collectively.
template <RowElement T>
void create_column(hid_t parent, const std::string& name, std::uint64_t rows);

// Collective over the file of `object` when it is open through MPI-IO (else
// this process's alone): a step each rank took by itself (opening a group)
// failed on some rank when `cannot` is not empty there. Then every rank
// throws: `cannot` on the ranks that failed, FailedOnAnotherRank(elsewhere)
// on the others, so none goes on to a collective call the others skip.
void throw_if_any_rank_cannot(hid_t object, const std::string& cannot, const std::string& elsewhere);

// Closes `file` (opened on every rank of `comm`, or MPI_COMM_NULL for this
// process alone) and agrees on the outcome: a close that failed anywhere
// throws on every rank, as throw_if_any_rank_cannot does.
void close_everywhere(Handle& file, MPI_Comm comm, const std::string& what);

// Writes this rank's `rows` to rows [offset, offset + rows.size()) of the
// column `name` (made by create_column, of the same element type). In a
// file opened collectively it is collective over the file's communicator:
// every rank calls it for the same column, a rank without rows with an
// empty span. The transfer is then collective (H5FD_MPIO_COLLECTIVE),
// which compressed columns need, and a failure on any rank (rows beyond the
// column's end, an open or a selection that fails, the write itself) throws
// on every rank, so no rank is left waiting for the others
// (FailedOnAnotherRank on the ranks whose part was sound). In a file opened
// by one process (create_file, or H5Fopen without MPI-IO) it is that
// process's plain write.
template <RowElement T>
void write_rows(hid_t parent, const std::string& name, std::uint64_t offset, std::span<const T> rows);

// A UTF-8 text column of `rows` fixed-width cells of `width` bytes (NUL
// included), unwritten, laid out as write_column lays out such a column
// (create_column's contract).
void create_text_column(hid_t parent, const std::string& name, std::uint64_t rows, std::size_t width);

// write_rows for a column made by create_text_column: each of `rows` is
// NUL-padded to `width` bytes (a row of `width` bytes or more throws, on
// every rank).
void write_text_rows(hid_t parent, const std::string& name, std::uint64_t offset, std::span<const std::string> rows,
                     std::size_t width);

}  // namespace juggle::results::h5
