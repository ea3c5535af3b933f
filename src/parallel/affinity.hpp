// How many CPUs this process's threads may run on.
//
// The process's own affinity mask answers that until OpenMP binds threads:
// with OMP_PROC_BIND set (as the SLURM scripts do), the runtime pins the
// initial thread to one place at start-up, so the mask of the thread asking
// says 1 CPU although the rank's threads spread over all of its places. The
// runtime built those places from the process mask it found at start-up, so
// then the answer is the CPUs of the places in the thread's partition.
#pragma once

namespace juggle::parallel {

[[nodiscard]] int usable_cpus();

}  // namespace juggle::parallel
