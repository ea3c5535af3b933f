#include "parallel/shared_file.hpp"

#include <mpi.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <chrono>
#include <string>
#include <thread>

#include <sys/stat.h>

#include "parallel/collectives.hpp"
#include "parallel/mpi_check.hpp"
#include "parallel/mpi_session.hpp"
#include "parallel/round_bytes.hpp"

namespace juggle::parallel {
namespace {

std::string write_alone(const std::string& path, std::span<const char> mine) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return "cannot create";
  const bool written = std::fwrite(mine.data(), 1, mine.size(), f) == mine.size();
  const bool closed = std::fclose(f) == 0;
  return written && closed ? "" : "write failed";
}

// This rank's writes; "" or why.
std::string write_mine(MPI_File file, std::span<const char> mine, std::uint64_t offset) {
  for (std::size_t done = 0; done < mine.size();) {
    const std::size_t n = std::min(round_bytes(), mine.size() - done);
    MPI_Status status;
    const int rc = MPI_File_write_at(file, static_cast<MPI_Offset>(offset + done), mine.data() + done,
                                     static_cast<int>(n), MPI_CHAR, &status);
    if (rc != MPI_SUCCESS) return "write failed: " + mpi_error_text(rc);
    done += n;
  }
  return "";
}

}  // namespace

std::string write_in_rank_order(const std::string& path, std::span<const char> mine) {
  if (!mpi_active()) return write_alone(path, mine);
  const std::uint64_t offset = sum_before_me(mine.size());
  MPI_File file = MPI_FILE_NULL;
  std::string why;
  int rc = MPI_File_open(MPI_COMM_WORLD, path.c_str(), MPI_MODE_CREATE | MPI_MODE_WRONLY, MPI_INFO_NULL, &file);
  if (rc != MPI_SUCCESS) why = "cannot create: " + mpi_error_text(rc);
  // A rank that opened it must not wait in the collective calls below for
  // one that did not (its handle is then left open: the run ends in error).
  why = agree_on_failure(why);
  if (why.empty()) {
    // Truncate whatever was there: the file is exactly the ranks' bytes.
    rc = MPI_File_set_size(file, 0);
    if (rc != MPI_SUCCESS) why = "cannot truncate: " + mpi_error_text(rc);
    if (why.empty()) why = write_mine(file, mine, offset);
    rc = MPI_File_close(&file);
    if (rc != MPI_SUCCESS && why.empty()) why = "close failed: " + mpi_error_text(rc);
  }
  return agree_on_failure(why);
}

std::string check_every_rank_sees(const std::string& path) {
  if (!mpi_active()) return "";
  struct stat st {};
  bool seen = ::stat(path.c_str(), &st) == 0;
  for (int attempt = 0; !seen && attempt < 20; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    seen = ::stat(path.c_str(), &st) == 0;
  }
  return agree_on_failure(seen ? ""
                               : "rank " + std::to_string(world_info().rank) + " does not see " + path +
                                     " (the ranks must share the directory: not node-local, not relative to"
                                     " different working directories)");
}

}  // namespace juggle::parallel
