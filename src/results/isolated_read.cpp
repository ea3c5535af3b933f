#include "results/isolated_read.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <csignal>
#include <cstring>
#include <sstream>

#include "parallel/fault_injection.hpp"
#include "results/run_data_wire.hpp"

namespace juggle::results {
namespace {

// What the child sends: a tag, then the encoded RunData or the refusal.
constexpr char kData = 'D';
constexpr char kRefused = 'E';

void write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the parent is gone or gave up: nobody to tell
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

// A damaged size field can make libhdf5 allocate until the node's memory is
// gone (seen: 24 GB of address space, 14 GB resident within 20 s, then the
// kernel's SIGKILL). The child gets the address space it has now plus
// 1 GiB + 16 x the file's size, ample for a results file (events take 48
// bytes in memory against 40 in the file); beyond that allocations fail and
// the read ends with a refusal, or libhdf5 does without (it reads such a
// file in 10 ms then). Relative to what is mapped now, the limit also holds
// in the sanitized test builds, whose terabytes of shadow memory are mapped
// at start.
void limit_memory(const std::string& path) {
  long pages = 0;
  if (std::FILE* statm = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(statm, "%ld", &pages) != 1) pages = 0;
    std::fclose(statm);
  }
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  const rlim_t budget = (rlim_t{1} << 30) + 16 * static_cast<rlim_t>(ec ? 0 : size);
  rlimit as{};
  if (pages <= 0 || ::getrlimit(RLIMIT_AS, &as) != 0) return;
  const rlim_t wanted = static_cast<rlim_t>(pages) * static_cast<rlim_t>(::sysconf(_SC_PAGESIZE)) + budget;
  if (as.rlim_cur == RLIM_INFINITY || wanted < as.rlim_cur) as.rlim_cur = wanted;
  ::setrlimit(RLIMIT_AS, &as);
}

[[noreturn]] void child_reads(const std::string& path, int fd) {
  limit_memory(path);
  const rlimit no_core{0, 0};
  ::setrlimit(RLIMIT_CORE, &no_core);  // a crash on a damaged file is expected here: no core file
  // Die by the signal itself, whatever handlers the parent installed (a
  // sanitizer's, a test framework's, juggle's own for interruptions, which
  // concern the parent's temporaries): the parent tells the crash apart.
  for (const int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGINT, SIGTERM, SIGHUP}) std::signal(sig, SIG_DFL);
  std::string message;
  try {
    parallel::inject_fault_if_asked(0, "report-read");
    message = kData + encode_run_data(read_results(path));
  } catch (const ResultsError& e) {  // "PATH: reason"
    message = kRefused + std::string(e.what());
  } catch (const std::bad_alloc&) {
    message = kRefused + path + ": out of memory reading it";
  } catch (const std::exception& e) {
    message = kRefused + path + ": " + e.what();
  }
  write_all(fd, message);
  ::_exit(0);  // no atexit handlers, no flushing of the parent's buffered output
}

// Everything the child writes until it closes the pipe, or false when the
// deadline passes first.
bool read_until_closed(int fd, std::string& bytes, std::chrono::steady_clock::time_point deadline) {
  char buffer[1 << 16];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(std::min<std::int64_t>(left.count(), 1000)));
    if (ready < 0 && errno != EINTR) throw std::runtime_error(std::string("poll: ") + std::strerror(errno));
    if (ready <= 0) continue;
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return true;  // closed: the child finished or died
    bytes.append(buffer, static_cast<std::size_t>(n));
  }
}

int reap(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

std::string how_it_ended(int status) {
  if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)  // not a crash: the OOM killer, or someone
    return "the process reading it was killed (SIGKILL)";
  if (WIFSIGNALED(status)) {
    const char* abbrev = ::sigabbrev_np(WTERMSIG(status));
    return "libhdf5 crashed reading it (" +
           (abbrev ? "SIG" + std::string(abbrev) : "signal " + std::to_string(WTERMSIG(status))) + ")";
  }
  // A sanitizer's report in the test builds ends this way.
  return "reading it failed in a way no error reports (exit status " + std::to_string(WEXITSTATUS(status)) + ")";
}

// Closes a descriptor when the scope ends, however it ends.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

RunData read_results_isolated(const std::string& path, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  int ends[2];
  if (::pipe2(ends, O_CLOEXEC) != 0)
    throw ResultsError(path + ": cannot start a process to read it: " + std::strerror(errno));
  Fd read_end{ends[0]}, write_end{ends[1]};
  const pid_t pid = ::fork();
  if (pid < 0) throw ResultsError(path + ": cannot start a process to read it: " + std::strerror(errno));
  if (pid == 0) child_reads(path, write_end.fd);
  ::close(write_end.fd);
  write_end.fd = -1;

  std::string bytes;
  if (!read_until_closed(read_end.fd, bytes, deadline)) {
    ::kill(pid, SIGKILL);
    reap(pid);
    std::ostringstream seconds;
    seconds << std::chrono::duration<double>(limit).count();
    throw ResultsError(path + ": damaged: reading it did not finish within " + seconds.str() + " s (--read-timeout)");
  }
  const int status = reap(pid);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || bytes.empty())
    throw ResultsError(path + ": damaged: " + how_it_ended(status));
  if (bytes[0] == kRefused) throw ResultsError(bytes.substr(1));
  std::optional<RunData> run = decode_run_data(std::string_view(bytes).substr(1));
  if (bytes[0] != kData || !run) throw ResultsError(path + ": damaged: its reader sent a message cut short");
  return std::move(*run);
}

}  // namespace juggle::results
