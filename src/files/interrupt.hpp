// What an interrupted run leaves behind: nothing but finished files.
//
// SIGINT (Ctrl-C), SIGTERM (scancel, mpirun and srun passing a kill on) and
// SIGHUP (a closed terminal) may end juggle at any point: in a download, in
// writing the results file, a CSV or a generated corpus. Finished files are
// only ever renamed into place from a temporary, so an interrupted write can
// only leave a temporary; the handler installed here removes every
// temporary still registered and exits with 128 + the signal number, as a
// shell reports a process the signal killed. (A stale fetch temporary of a
// process killed by SIGKILL, which no handler sees, is removed by the next
// fetch into that directory.)
//
// A signal handler may only call async-signal-safe functions, so the
// registry is a fixed table of slots claimed with atomics: no allocation,
// no lock, and a slot is only read by the handler once completely written.
#pragma once

#include <fcntl.h>

#include <string>

namespace juggle::files {

// Installs the handler for SIGINT, SIGTERM and SIGHUP (once per process).
void install_interrupt_handler();

// The work is done and every output is in place: the default actions
// return. (mpirun sends SIGTERM to ranks still finalising after another
// rank exited non-zero; that is no interruption to report.)
void uninstall_interrupt_handler();

// Registers a temporary file (`name` relative to the directory `dir_fd`, or
// a path with AT_FDCWD) to be removed if the process is interrupted, until
// this object is destroyed or release()d. If the table is full or the name
// too long, the file is simply not removed on interruption (a cleanup, not
// a correctness matter: final names are never half-written).
class RemoveOnInterrupt {
 public:
  RemoveOnInterrupt() noexcept = default;
  RemoveOnInterrupt(int dir_fd, const std::string& name) noexcept;
  explicit RemoveOnInterrupt(const std::string& path) noexcept : RemoveOnInterrupt(AT_FDCWD, path) {}
  ~RemoveOnInterrupt() { release(); }
  RemoveOnInterrupt(RemoveOnInterrupt&& other) noexcept : slot_(other.slot_) { other.slot_ = -1; }
  RemoveOnInterrupt& operator=(RemoveOnInterrupt&& other) noexcept;
  RemoveOnInterrupt(const RemoveOnInterrupt&) = delete;
  RemoveOnInterrupt& operator=(const RemoveOnInterrupt&) = delete;

  // The file was renamed into place or removed: no longer the handler's.
  void release() noexcept;

 private:
  int slot_ = -1;
};

// Removes every temporary registered now (they stay registered: removing
// one twice is harmless) and returns how many were removed. The interrupt
// handler does this; so does a rank that stops the whole job, since the
// launcher may kill the other ranks before their handlers run.
// Async-signal-safe.
int remove_registered_temporaries() noexcept;

// Temporaries registered now (tests).
[[nodiscard]] int registered_temporaries() noexcept;

}  // namespace juggle::files
