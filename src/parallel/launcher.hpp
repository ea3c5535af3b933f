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

// Whether the mpirun/mpiexec that started this process on this node writes
// to a terminal: ranks' stderr is a pipe to it, so isatty() cannot tell
// that a user is watching. Reads the parent's standard error link in /proc
// (OpenMPI's mpirun is the parent of the ranks it starts on its own node);
// false when the parent is not an mpirun, or under srun.
[[nodiscard]] bool launcher_writes_to_terminal() noexcept;

// Tasks of a SLURM job step (SLURM_STEP_NUM_TASKS), 1 outside one.
[[nodiscard]] int slurm_step_tasks() noexcept;

}  // namespace juggle::parallel
