// Which rank the MPI launcher (mpirun, srun) started this process as, read
// from its environment before or without MPI_Init. Commands that do not use
// MPI (gen, --help) use it so that under mpirun only one process speaks.
#pragma once

namespace juggle::parallel {

// 0 when not started by a known launcher.
[[nodiscard]] int launcher_rank() noexcept;

// Whether an MPI launcher started this process (mpirun/mpiexec of OpenMPI or
// MPICH, srun with PMI or PMIx): the variables they set for MPI_Init.
[[nodiscard]] bool launched_by_mpi() noexcept;

// Tasks of a SLURM job step (SLURM_STEP_NUM_TASKS), 1 outside one.
[[nodiscard]] int slurm_step_tasks() noexcept;

}  // namespace juggle::parallel
