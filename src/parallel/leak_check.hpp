// Leak checking under AddressSanitizer with MPI.
//
// OpenMPI loads its plugins (mca_*.so) with dlopen and dlclose()s them, the
// unused ones during MPI_Init and the rest in MPI_Finalize; what they
// allocated and never freed is then reported from "<unknown module>",
// which no suppression can name. So: allocations made inside MPI_Init are
// not leaks to LeakSanitizer (OpenMpiInitScope), and the check runs before
// MPI_Finalize (check_leaks_before_mpi_finalize), when the library's memory
// is still reachable from its globals, while a leak of juggle's is
// unreachable either way; LeakSanitizer then skips its end-of-process check.
// Nothing happens in a build without ASan.
#pragma once

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define JUGGLE_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define JUGGLE_ASAN 1
#endif

#ifdef JUGGLE_ASAN
#include <sanitizer/lsan_interface.h>
#endif

namespace juggle::parallel {

// For the duration of MPI_Init on this thread.
class MpiInitLeakScope {
 public:
#ifdef JUGGLE_ASAN
  MpiInitLeakScope() { __lsan_disable(); }
  ~MpiInitLeakScope() { __lsan_enable(); }
#endif
  MpiInitLeakScope(const MpiInitLeakScope&) = delete;
  MpiInitLeakScope& operator=(const MpiInitLeakScope&) = delete;
#ifndef JUGGLE_ASAN
  MpiInitLeakScope() = default;
#endif
};

inline void check_leaks_before_mpi_finalize() {
#ifdef JUGGLE_ASAN
  __lsan_do_leak_check();
#endif
}

}  // namespace juggle::parallel
