#include "parallel/launcher.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>
#include <system_error>

namespace juggle::parallel {

int launcher_rank() noexcept {
  for (const char* name : {"OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK", "SLURM_PROCID"}) {
    if (const char* value = std::getenv(name)) return std::atoi(value);
  }
  return 0;
}

bool launched_by_mpi() noexcept {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE", "MPI_LOCALNRANKS"})
    if (std::getenv(name) != nullptr) return true;
  return false;
}

bool launcher_writes_to_terminal() noexcept {
  if (!launched_by_mpi()) return false;
  try {
    const std::string parent = "/proc/" + std::to_string(::getppid());
    std::string name;
    std::getline(std::ifstream(parent + "/comm"), name);
    if (name != "mpirun" && name != "mpiexec" && name != "orterun" && name != "prterun") return false;
    std::error_code ec;
    const std::string err = std::filesystem::read_symlink(parent + "/fd/2", ec).string();
    return !ec && (err.rfind("/dev/pts/", 0) == 0 || err.rfind("/dev/tty", 0) == 0);
  } catch (...) {  // no /proc, or not ours to read: no terminal known
    return false;
  }
}

int slurm_step_tasks() noexcept {
  const char* value = std::getenv("SLURM_STEP_NUM_TASKS");
  const int n = value ? std::atoi(value) : 1;
  return n > 0 ? n : 1;
}

}  // namespace juggle::parallel
