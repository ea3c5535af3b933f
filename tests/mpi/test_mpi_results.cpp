// One results file written by all ranks (src/results/h5_handles.hpp): each
// rank writes its own rows of compressed columns, at offsets from a prefix
// sum, and a serial reader finds every row where it belongs.
#include <hdf5.h>
#include <mpi.h>

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdlib>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "mpi_support.hpp"
#include "results/column_layout.hpp"
#include "results/failed_on_another_rank.hpp"
#include "results/h5_handles.hpp"

using namespace juggle;
namespace h5 = juggle::results::h5;
using mpi_test::SharedDir;
using mpi_test::world_rank;
using mpi_test::world_size;

namespace {

// Row i of every test column: distinct per row and per type, so a row
// written at the wrong offset or by the wrong rank shows.
template <class T>
T row_value(std::uint64_t i) {
  if constexpr (std::is_same_v<T, double>) {
    return static_cast<double>(i) * 0.5 - 3.25;
  } else if constexpr (std::is_signed_v<T>) {
    return static_cast<T>(i * 2654435761u % 1000003) - static_cast<T>(500000);
  } else {
    return static_cast<T>(i * 2654435761u >> 7);
  }
}

// Rows per rank, uneven, rank 1 with none (when there is a rank 1).
std::uint64_t rows_of(int rank) { return rank == 1 ? 0 : 40000 + 7919 * static_cast<std::uint64_t>(rank); }

struct Share {
  std::uint64_t offset = 0;  // this rank's first row
  std::uint64_t rows = 0;    // this rank's rows
  std::uint64_t total = 0;   // all ranks' rows
};

// The offsets agreed as the issue says: an exclusive prefix sum of the ranks' row counts.
Share my_share() {
  Share share;
  share.rows = rows_of(world_rank());
  MPI_Exscan(&share.rows, &share.offset, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
  if (world_rank() == 0) share.offset = 0;  // MPI_Exscan leaves rank 0's undefined
  MPI_Allreduce(&share.rows, &share.total, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
  return share;
}

template <class T>
std::vector<T> my_rows(const Share& share) {
  std::vector<T> rows(share.rows);
  for (std::uint64_t i = 0; i < share.rows; ++i) rows[i] = row_value<T>(share.offset + i);
  return rows;
}

template <class T>
void write_my_rows(hid_t file, const std::string& name, const Share& share) {
  const std::vector<T> rows = my_rows<T>(share);
  h5::write_rows<T>(file, name, share.offset, rows);
}

// Reads column `name` of the file at `path` serially (rank 0, default driver).
template <class T>
std::vector<T> read_column(const std::string& path, const std::string& name, hid_t memory_type, bool* compressed) {
  const h5::Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "open " + path);
  const h5::Handle set(H5Dopen2(file.id(), name.c_str(), H5P_DEFAULT), H5Dclose, "open " + name);
  const h5::Handle space(H5Dget_space(set.id()), H5Sclose, "get dataspace");
  const hssize_t n = H5Sget_simple_extent_npoints(space.id());
  REQUIRE(n >= 0);
  std::vector<T> values(static_cast<std::size_t>(n));
  if (n > 0) h5::check(H5Dread(set.id(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "read " + name);
  const h5::Handle props(H5Dget_create_plist(set.id()), H5Pclose, "get creation properties");
  *compressed = H5Pget_layout(props.id()) == H5D_CHUNKED && H5Pget_nfilters(props.id()) > 0;
  return values;
}

template <class T>
void check_column(const std::string& path, const std::string& name, hid_t memory_type, std::uint64_t total,
                  bool expect_compressed = true) {
  bool compressed = false;
  const std::vector<T> values = read_column<T>(path, name, memory_type, &compressed);
  CHECK(compressed == expect_compressed);
  REQUIRE(values.size() == total);
  std::uint64_t wrong = 0;
  for (std::uint64_t i = 0; i < total; ++i) wrong += values[i] != row_value<T>(i);
  CHECK(wrong == 0);
}

const char* const kColumns[] = {"u8", "u32", "u64", "i32", "i64", "f64"};

// A column too small to compress (contiguous, column_layout.hpp): one row per rank.
Share one_row_each() {
  return {.offset = static_cast<std::uint64_t>(world_rank()), .rows = 1,
          .total = static_cast<std::uint64_t>(world_size())};
}

void create_columns(hid_t parent, std::uint64_t total) {
  h5::create_column<std::uint64_t>(parent, "small", one_row_each().total);
  h5::create_column<std::uint8_t>(parent, kColumns[0], total);
  h5::create_column<std::uint32_t>(parent, kColumns[1], total);
  h5::create_column<std::uint64_t>(parent, kColumns[2], total);
  h5::create_column<std::int32_t>(parent, kColumns[3], total);
  h5::create_column<std::int64_t>(parent, kColumns[4], total);
  h5::create_column<double>(parent, kColumns[5], total);
}

void write_columns(hid_t parent, const Share& share) {
  write_my_rows<std::uint64_t>(parent, "small", one_row_each());
  write_my_rows<std::uint8_t>(parent, kColumns[0], share);
  write_my_rows<std::uint32_t>(parent, kColumns[1], share);
  write_my_rows<std::uint64_t>(parent, kColumns[2], share);
  write_my_rows<std::int32_t>(parent, kColumns[3], share);
  write_my_rows<std::int64_t>(parent, kColumns[4], share);
  write_my_rows<double>(parent, kColumns[5], share);
}

void check_columns(const std::string& path, const std::string& prefix, std::uint64_t total) {
  check_column<std::uint64_t>(path, prefix + "small", H5T_NATIVE_UINT64, one_row_each().total, false);
  check_column<std::uint8_t>(path, prefix + kColumns[0], H5T_NATIVE_UINT8, total);
  check_column<std::uint32_t>(path, prefix + kColumns[1], H5T_NATIVE_UINT32, total);
  check_column<std::uint64_t>(path, prefix + kColumns[2], H5T_NATIVE_UINT64, total);
  check_column<std::int32_t>(path, prefix + kColumns[3], H5T_NATIVE_INT32, total);
  check_column<std::int64_t>(path, prefix + kColumns[4], H5T_NATIVE_INT64, total);
  check_column<double>(path, prefix + kColumns[5], H5T_NATIVE_DOUBLE, total);
}

// Whether any rank threw from `write`: every rank must, or none.
template <class F>
std::pair<int, int> ranks_that_threw(F&& write) {
  int threw = 0;
  try {
    write();
  } catch (const std::runtime_error&) {
    threw = 1;
  }
  int least = 0, most = 0;
  MPI_Allreduce(&threw, &least, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  MPI_Allreduce(&threw, &most, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  return {least, most};
}

}  // namespace

// The column may be created either way (h5_handles.hpp): collectively, or
// by rank 0 in a file it wrote alone and closed before the ranks open it.
TEST_CASE("compressed columns written by uneven ranks read back equal", "[mpi][h5]") {
  h5::silence_hdf5_errors();
  const SharedDir dir;
  const std::string path = (dir.path() / "columns.h5").string();
  const Share share = my_share();
  std::string prefix;
  SECTION("created collectively, in a group") {
    h5::Handle file = h5::create_file_collective(path, MPI_COMM_WORLD);
    {
      const h5::Handle group = h5::create_group(file.id(), "tokenize/vocabulary");
      create_columns(group.id(), share.total);
      write_columns(group.id(), share);
    }  // closed before the file: through MPI-IO a file does not close while an object of it is open
    file.close("close " + path);
    prefix = "tokenize/vocabulary/";
  }
  SECTION("created by rank 0 alone with juggle's serial writer") {
    if (world_rank() == 0) {
      h5::Handle file = h5::create_file(path);
      create_columns(file.id(), share.total);
      file.close("close " + path);
    }
    MPI_Barrier(MPI_COMM_WORLD);
    h5::Handle file = h5::open_file_collective(path, MPI_COMM_WORLD);
    write_columns(file.id(), share);
    file.close("close " + path);
  }
  MPI_Barrier(MPI_COMM_WORLD);
  if (world_rank() == 0) check_columns(path, prefix, share.total);
}

// HDF5 refuses an independent transfer to a compressed dataset, so
// write_rows works on these columns only because its transfer is
// collective: the test shows the refusal on this HDF5, then that
// write_rows gets past it with the right rows.
TEST_CASE("a compressed column is written only by a collective transfer", "[mpi][h5]") {
  h5::silence_hdf5_errors();
  const SharedDir dir;
  const std::string path = (dir.path() / "transfer.h5").string();
  const Share share = my_share();
  const std::vector<std::uint32_t> rows = my_rows<std::uint32_t>(share);
  h5::Handle file = h5::create_file_collective(path, MPI_COMM_WORLD);
  h5::create_column<std::uint32_t>(file.id(), "ids", share.total);
  REQUIRE(h5::column_layout(share.total, sizeof(std::uint32_t), false).compressed);
  {
    const h5::Handle set(H5Dopen2(file.id(), "ids", H5P_DEFAULT), H5Dclose, "open ids");
    const h5::Handle space(H5Dget_space(set.id()), H5Sclose, "get dataspace");
    const hsize_t start[1] = {share.offset}, count[1] = {share.rows};
    const h5::Handle memory(H5Screate_simple(1, count, nullptr), H5Sclose, "create dataspace");
    if (share.rows > 0) {
      H5Sselect_hyperslab(space.id(), H5S_SELECT_SET, start, nullptr, count, nullptr);
    } else {
      H5Sselect_none(space.id());
      H5Sselect_none(memory.id());
    }
    const h5::Handle independent(H5Pcreate(H5P_DATASET_XFER), H5Pclose, "create transfer properties");
    H5Pset_dxpl_mpio(independent.id(), H5FD_MPIO_INDEPENDENT);
    const std::uint32_t nothing = 0;
    CHECK(H5Dwrite(set.id(), H5T_NATIVE_UINT32, memory.id(), space.id(), independent.id(),
                   share.rows > 0 ? static_cast<const void*>(rows.data()) : &nothing) < 0);
  }
  h5::write_rows<std::uint32_t>(file.id(), "ids", share.offset, rows);
  file.close("close " + path);
  MPI_Barrier(MPI_COMM_WORLD);
  if (world_rank() == 0) check_column<std::uint32_t>(path, "ids", H5T_NATIVE_UINT32, share.total);
}

TEST_CASE("write_rows fails on every rank together, so none is left waiting", "[mpi][h5]") {
  h5::silence_hdf5_errors();
  const SharedDir dir;
  const std::string path = (dir.path() / "errors.h5").string();
  const Share share = my_share();
  h5::Handle file = h5::create_file_collective(path, MPI_COMM_WORLD);
  h5::create_column<std::int64_t>(file.id(), "counts", share.total);
  h5::create_column<double>(file.id(), "empty", 0);
  const std::vector<std::int64_t> rows = my_rows<std::int64_t>(share);
  SECTION("rows past the end on the last rank alone") {
    const bool last = world_rank() == world_size() - 1;
    const std::vector<std::int64_t> one(1, 7);
    const auto [least, most] = ranks_that_threw([&] {
      h5::write_rows<std::int64_t>(file.id(), "counts", last ? share.total : 0,
                                   last ? std::span<const std::int64_t>(one) : std::span<const std::int64_t>());
    });
    CHECK(least == 1);
    CHECK(most == 1);
  }
  SECTION("only the failing rank gives a reason; the others say another rank failed") {
    const bool last = world_rank() == world_size() - 1;
    const std::vector<std::int64_t> one(1, 7);
    std::string said;
    bool echoed = false;
    try {
      h5::write_rows<std::int64_t>(file.id(), "counts", last ? share.total : 0,
                                   last ? std::span<const std::int64_t>(one) : std::span<const std::int64_t>());
    } catch (const results::FailedOnAnotherRank& e) {
      echoed = true;
      said = e.what();
    } catch (const std::runtime_error& e) {
      said = e.what();
    }
    CHECK(echoed == !last);
    CHECK_THAT(said, Catch::Contains(last ? "it has " + std::to_string(share.total) + " rows"
                                          : std::string("another rank cannot write its rows")));
  }
  SECTION("a column that does not exist") {
    const auto [least, most] = ranks_that_threw([&] { h5::write_rows<std::int64_t>(file.id(), "nope", 0, {}); });
    CHECK(least == 1);
  }
  SECTION("a column of no rows takes no rows from every rank") {
    const auto [least, most] = ranks_that_threw([&] { h5::write_rows<double>(file.id(), "empty", 0, {}); });
    CHECK(most == 0);
  }
  file.close("close " + path);
}

// Property: a rank that cannot open the results file (here: it is given a
// name that does not exist; in a run, a node whose mount is read-only)
// makes every rank's open throw, the others with FailedOnAnotherRank, so
// none waits in the next collective. Then a good open still works.
TEST_CASE("a rank that cannot open the results file stops every rank's open", "[mpi][h5]") {
  h5::silence_hdf5_errors();
  const SharedDir dir;
  const std::string path = (dir.path() / "open.h5").string();
  {
    h5::Handle file = h5::create_file_collective(path, MPI_COMM_WORLD);
    file.close("close " + path);
  }
  const bool last = world_rank() == world_size() - 1;
  std::string said;
  bool echoed = false;
  try {
    h5::Handle file = h5::open_file_collective(last ? path + ".missing" : path, MPI_COMM_WORLD);
  } catch (const results::FailedOnAnotherRank& e) {
    echoed = true;
    said = e.what();
  } catch (const std::runtime_error& e) {
    said = e.what();
  }
  CHECK(echoed == (!last));
  CHECK_THAT(said, Catch::Contains(last ? std::string("No such file") : std::string("another rank cannot")));
  h5::Handle again = h5::open_file_collective(path, MPI_COMM_WORLD);
  again.close("close " + path);
}

// Property: in a file one process opened without MPI-IO, write_rows is that
// process's own write (no other rank takes part): rows land at their
// offset, in any order of calls, and rows past the end throw.
TEST_CASE("write_rows in a file opened by one process writes there alone", "[mpi][h5]") {
  h5::silence_hdf5_errors();
  const SharedDir dir;
  if (world_rank() == 0) {
    const std::string path = (dir.path() / "serial.h5").string();
    std::vector<std::uint64_t> expected(1000);
    for (std::uint64_t i = 0; i < expected.size(); ++i) expected[i] = row_value<std::uint64_t>(i);
    {
      h5::Handle file = h5::create_file(path);
      h5::create_column<std::uint64_t>(file.id(), "counts", expected.size());
      const std::span<const std::uint64_t> all(expected);
      h5::write_rows<std::uint64_t>(file.id(), "counts", 600, all.subspan(600));
      h5::write_rows<std::uint64_t>(file.id(), "counts", 0, all.first(600));
      h5::write_rows<std::uint64_t>(file.id(), "counts", 1000, {});
      CHECK_THROWS_WITH(h5::write_rows<std::uint64_t>(file.id(), "counts", 999, all.first(2)),
                        Catch::Contains("counts") && Catch::Contains("it has 1000 rows"));
      file.close("close " + path);
    }
    bool compressed = false;
    CHECK(read_column<std::uint64_t>(path, "counts", H5T_NATIVE_UINT64, &compressed) == expected);
  }
}

// More than 2^31 one-byte elements per rank in one collective write (an
// int's count): minutes and 2 GiB per rank, so not in ctest's runs:
//   mpiexec -n 2 build/tests/juggle_mpi_tests "[big]"
TEST_CASE("more than 2^31 rows per rank in one collective write", "[.big]") {
  h5::silence_hdf5_errors();
  const SharedDir dir;
  const std::string path = (dir.path() / "big.h5").string();
  const std::uint64_t per_rank = (std::uint64_t{1} << 31) + 5 + static_cast<std::uint64_t>(world_rank());
  Share share;
  share.rows = per_rank;
  MPI_Exscan(&share.rows, &share.offset, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
  if (world_rank() == 0) share.offset = 0;
  MPI_Allreduce(&share.rows, &share.total, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
  {
    h5::Handle file = h5::create_file_collective(path, MPI_COMM_WORLD);
    h5::create_column<std::uint8_t>(file.id(), "bytes", share.total);
    const std::vector<std::uint8_t> rows = my_rows<std::uint8_t>(share);
    h5::write_rows<std::uint8_t>(file.id(), "bytes", share.offset, rows);
    file.close("close " + path);
  }
  MPI_Barrier(MPI_COMM_WORLD);
  if (world_rank() == 0) check_column<std::uint8_t>(path, "bytes", H5T_NATIVE_UINT8, share.total);
}
