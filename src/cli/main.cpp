// juggle's entry point: forwards to the callable CLI and finalises MPI once
// at process exit (MPI cannot be initialised again after MPI_Finalize).
#include <string>
#include <vector>

#include "cli/app.hpp"
#include "parallel/mpi_session.hpp"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv, argv + argc);
  const int status = juggle::cli::run_cli(args);
  juggle::parallel::finalize_mpi_if_initialized();
  return status;
}
