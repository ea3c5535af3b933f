#include "parallel/launcher.hpp"

#include <cstdlib>
#include <initializer_list>

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

int slurm_step_tasks() noexcept {
  const char* value = std::getenv("SLURM_STEP_NUM_TASKS");
  const int n = value ? std::atoi(value) : 1;
  return n > 0 ? n : 1;
}

}  // namespace juggle::parallel
