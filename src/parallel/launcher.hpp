// Which rank the MPI launcher (mpirun, srun) started this process as, read
// from its environment before or without MPI_Init. Commands that do not use
// MPI (gen, --help) use it so that under mpirun only one process speaks.
#pragma once

namespace juggle::parallel {

// 0 when not started by a known launcher.
[[nodiscard]] int launcher_rank() noexcept;

}  // namespace juggle::parallel
