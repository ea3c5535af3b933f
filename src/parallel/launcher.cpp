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

}  // namespace juggle::parallel
