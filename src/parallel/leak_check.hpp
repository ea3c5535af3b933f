// Leak checking under AddressSanitizer with MPI: check before MPI_Finalize.
//
// OpenMPI's plugins (mca_*.so) are dlclose()d by MPI_Finalize, so what they
// allocated and never freed is reported at exit from "<unknown module>",
// which no suppression can name. Checked before MPI_Finalize, that memory
// is still reachable from the library's globals and is not reported, while
// a leak of juggle's is unreachable either way. LeakSanitizer then skips
// its end-of-process check. Nothing happens in a build without ASan.
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

inline void check_leaks_before_mpi_finalize() {
#ifdef JUGGLE_ASAN
  __lsan_do_leak_check();
#endif
}

}  // namespace juggle::parallel
