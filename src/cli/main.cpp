// juggle's entry point: forwards to the callable CLI and finalises MPI once
// at process exit (MPI cannot be initialised again after MPI_Finalize);
// interrupts are handled for the whole process.
#include <string>
#include <vector>

#include "cli/app.hpp"
#include "files/interrupt.hpp"
#include "parallel/mpi_session.hpp"

int main(int argc, char** argv) {
  // Ctrl-C and scancel remove temporaries and exit 128 + signal (files/interrupt.hpp).
  juggle::files::install_interrupt_handler();
  const std::vector<std::string> args(argv, argv + argc);
  const int status = juggle::cli::run_cli(args);
  juggle::files::uninstall_interrupt_handler();
  juggle::parallel::finalize_mpi_if_initialized();
  return status;
}
