// Checking the return code of an MPI call, for src/parallel/ alone: a
// failing call prints file:line and aborts the whole job (mpi_session.hpp).
#pragma once

#include <mpi.h>

#include <string>

#include "parallel/mpi_session.hpp"

namespace juggle::parallel {

#define JUGGLE_MPI_CHECK(call)                                                                              \
  do {                                                                                                      \
    const int juggle_mpi_rc_ = (call);                                                                      \
    if (juggle_mpi_rc_ != MPI_SUCCESS)                                                                      \
      ::juggle::parallel::abort_job(__FILE__, __LINE__, ::juggle::parallel::mpi_error_text(juggle_mpi_rc_)); \
  } while (0)

[[nodiscard]] std::string mpi_error_text(int code);

}  // namespace juggle::parallel
