#include "parallel/affinity.hpp"

#include <omp.h>
#include <sched.h>

#include <vector>

namespace juggle::parallel {

int usable_cpus() {
  if (omp_get_proc_bind() != omp_proc_bind_false) {
    const int places = omp_get_partition_num_places();
    if (places > 0) {
      std::vector<int> ids(static_cast<std::size_t>(places));
      omp_get_partition_place_nums(ids.data());
      int cpus = 0;
      for (const int id : ids) cpus += omp_get_place_num_procs(id);
      if (cpus > 0) return cpus;
    }
  }
  cpu_set_t mask;
  CPU_ZERO(&mask);
  return ::sched_getaffinity(0, sizeof mask, &mask) == 0 ? CPU_COUNT(&mask) : 1;
}

}  // namespace juggle::parallel
