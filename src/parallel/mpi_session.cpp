#include "parallel/mpi_session.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <new>

#include "parallel/launcher.hpp"
#include "parallel/leak_check.hpp"
#include "parallel/mpi_check.hpp"

namespace juggle::parallel {

std::string mpi_error_text(int code) {
  char text[MPI_MAX_ERROR_STRING] = {};
  int length = 0;
  if (MPI_Error_string(code, text, &length) != MPI_SUCCESS) return "MPI error " + std::to_string(code);
  return std::string(text, static_cast<std::size_t>(length));
}

namespace {
bool g_alone = false;  // decided once per process, like MPI's own state
}  // namespace

void abort_job(const char* file, int line, std::string_view reason, int code) {
  int initialized = 0;
  int finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  int rank = g_alone ? 0 : -1;  // alone: the only rank; else unknown until MPI says
  if (initialized && !finalized) MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  // One write(2) of the whole line: mpirun forwards each rank's stderr in
  // the pieces it was written in, and interleaves its own messages (its
  // banner) between them.
  const std::string text = "juggle: rank " + std::to_string(rank) + " on " + host + ": " + file + ':' +
                           std::to_string(line) + ": " + std::string(reason) + '\n';
  std::cerr.flush();
  (void)!::write(STDERR_FILENO, text.data(), text.size());
  if (initialized && !finalized) MPI_Abort(MPI_COMM_WORLD, code);
  std::_Exit(code);
}

void abort_job_for(const char* file, int line, std::exception_ptr error, int code) {
  try {
    std::rethrow_exception(error);
  } catch (const std::bad_alloc&) {
    abort_job(file, line, "out of memory (std::bad_alloc)", code);
  } catch (const std::exception& e) {
    abort_job(file, line, e.what(), code);
  } catch (...) {
    abort_job(file, line, "an unknown exception", code);
  }
}

namespace {

// MPI_Get_library_version's first line (callable before MPI_Init).
std::string library_version() {
  char library[MPI_MAX_LIBRARY_VERSION_STRING] = {};
  int length = 0;
  JUGGLE_MPI_CHECK(MPI_Get_library_version(library, &length));
  std::string text(library, static_cast<std::size_t>(length));
  if (const auto eol = text.find_first_of("\r\n,"); eol != std::string::npos) text.resize(eol);
  return text;
}
}  // namespace

bool mpi_active() {
  int initialized = 0;
  MPI_Initialized(&initialized);
  return initialized != 0;
}

double wall_time() {
  if (mpi_active()) return MPI_Wtime();
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void ensure_mpi_initialized() {
  int initialized = 0;
  JUGGLE_MPI_CHECK(MPI_Initialized(&initialized));
  if (initialized || g_alone) return;
  const char* force = std::getenv("JUGGLE_MPI");
  if (!launched_by_mpi() && !(force && std::strcmp(force, "init") == 0)) {
    g_alone = true;
    if (slurm_step_tasks() > 1)
      std::cerr << "juggle: warning: one of " << slurm_step_tasks()
                << " tasks of a SLURM step, but not started through PMI: every task runs alone "
                   "(srun --mpi=pmix connects them)\n";
    return;
  }
  int provided = 0;
  // Open MPI spins in blocking calls (the final gathers, a dispatcher's
  // MPI_Send) unless it knows the cores are shared; each rank runs workers,
  // a dispatcher and (rank 0) a walk beside them, so a spinning wait takes
  // a core from them. A value the user set is kept.
  (void)::setenv("OMPI_MCA_mpi_yield_when_idle", "1", 0);
  {
    [[maybe_unused]] const MpiInitLeakScope not_ours;
    JUGGLE_MPI_CHECK(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided));
  }
  // Errors come back as codes and go through JUGGLE_MPI_CHECK, which names
  // the place; the default handler would abort without saying where.
  JUGGLE_MPI_CHECK(MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN));
}

void finalize_mpi_if_initialized() {
  int initialized = 0;
  int finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  if (!initialized || finalized) return;
  check_leaks_before_mpi_finalize();
  MPI_Finalize();
}

WorldInfo world_info() {
  WorldInfo info;
  if (!mpi_active()) {
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    info.hostname = host;
    info.library = library_version() + " (not initialised: one process)";
    info.wtime_is_global = true;  // one clock
    return info;
  }
  JUGGLE_MPI_CHECK(MPI_Comm_rank(MPI_COMM_WORLD, &info.rank));
  JUGGLE_MPI_CHECK(MPI_Comm_size(MPI_COMM_WORLD, &info.size));
  char name[MPI_MAX_PROCESSOR_NAME] = {};
  int length = 0;
  JUGGLE_MPI_CHECK(MPI_Get_processor_name(name, &length));
  info.hostname.assign(name, static_cast<std::size_t>(length));
  info.library = library_version();
  int* is_global = nullptr;
  int flag = 0;
  JUGGLE_MPI_CHECK(MPI_Comm_get_attr(MPI_COMM_WORLD, MPI_WTIME_IS_GLOBAL, &is_global, &flag));
  info.wtime_is_global = flag && is_global && *is_global;
  return info;
}

}  // namespace juggle::parallel
