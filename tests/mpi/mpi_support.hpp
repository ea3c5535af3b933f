// What the MPI test files share: this rank and the world's size, and a
// folder all ranks of one node see.
#pragma once

#include <mpi.h>
#include <stdlib.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "parallel/collectives.hpp"

namespace juggle::mpi_test {

inline int world_rank() {
  int r = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
}
inline int world_size() {
  int s = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &s);
  return s;
}

// A directory all ranks share (one node): named by rank 0, removed by it.
class SharedDir {
 public:
  SharedDir() {
    std::vector<std::string> name;
    if (world_rank() == 0) {
      std::string pattern = (std::filesystem::temp_directory_path() / "juggle-mpi-XXXXXX").string();
      REQUIRE(::mkdtemp(pattern.data()));
      name.push_back(pattern);
    }
    parallel::broadcast_strings(name, 0);
    path_ = name.at(0);
  }
  ~SharedDir() {
    MPI_Barrier(MPI_COMM_WORLD);
    std::error_code ec;
    if (world_rank() == 0) std::filesystem::remove_all(path_, ec);
  }
  SharedDir(const SharedDir&) = delete;
  SharedDir& operator=(const SharedDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace juggle::mpi_test
