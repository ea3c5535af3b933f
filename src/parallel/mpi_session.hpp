// MPI at the edge, in the manner of IOR: every MPI call of juggle goes through
// src/parallel/ (the only folder that sees <mpi.h>; mpi_check.hpp checks each
// call), and a failing call prints file:line and aborts the whole job
// instead of leaving the other ranks blocked in a collective.
#pragma once

#include <exception>
#include <string>
#include <string_view>

namespace juggle::parallel {

// Prints "juggle: rank R on HOST: <where>: <reason>" to stderr and calls
// MPI_Abort(MPI_COMM_WORLD, code). Safe to call before MPI_Init.
[[noreturn]] void abort_job(const char* file, int line, std::string_view reason, int code = 4);

// abort_job for an exception: its what(), or "out of memory" for std::bad_alloc.
[[noreturn]] void abort_job_for(const char* file, int line, std::exception_ptr error, int code = 4);


// Initialises MPI (threads: FUNNELED, only the main thread calls MPI) unless
// it already is, as in tests whose main() owns MPI.
//
// A process that no MPI launcher started is a world of one rank: then MPI is
// not initialised at all (an OpenMPI singleton spends ~0.3 s starting a
// daemon it will never need) and the collectives below are the identity.
// JUGGLE_MPI=init forces MPI_Init even then.
void ensure_mpi_initialized();

// True once ensure_mpi_initialized() chose MPI (or MPI was initialised by
// the caller); false for a process running alone without it.
[[nodiscard]] bool mpi_active();

// Seconds on MPI_Wtime's clock (a monotonic clock when running alone).
[[nodiscard]] double wall_time();

// Called once at process exit by main(): MPI cannot be re-initialised, so
// in-process callers (tests) may run several commands before this.
void finalize_mpi_if_initialized();

// Facts about this process in MPI_COMM_WORLD.
struct WorldInfo {
  int rank = 0;
  int size = 1;
  std::string hostname;     // MPI_Get_processor_name
  std::string library;      // MPI_Get_library_version, first line
  bool wtime_is_global = false;
};

[[nodiscard]] WorldInfo world_info();

}  // namespace juggle::parallel
