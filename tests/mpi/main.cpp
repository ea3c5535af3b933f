// MPI tests run under mpiexec -n 1, 2 and 3: MPI is initialised once here,
// as juggle's main() would, and every rank runs every test.
#define CATCH_CONFIG_RUNNER
#include <mpi.h>

#include <catch2/catch.hpp>

#include "parallel/leak_check.hpp"

int main(int argc, char** argv) {
  int provided = 0;
  {
    [[maybe_unused]] const juggle::parallel::MpiInitLeakScope not_ours;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  }
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  const int failures = Catch::Session().run(argc, argv);
  int any = failures;
  MPI_Allreduce(&failures, &any, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  juggle::parallel::check_leaks_before_mpi_finalize();
  MPI_Finalize();
  return any == 0 ? 0 : 1;
}
