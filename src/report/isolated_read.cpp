#include "report/isolated_read.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <sstream>

#include "files/unique_fd.hpp"
#include "parallel/fault_injection.hpp"
#include "report/run_data_wire.hpp"

namespace juggle::report {
namespace {

using Clock = std::chrono::steady_clock;

// A frame per file: its length (a size_t), then a tag and the encoded
// results::RunData or the refusal's text.
constexpr char kData = 'D';
constexpr char kRefused = 'E';

void write_all(int fd, const void* data, std::size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::write(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) ::_exit(0);  // the parent is gone or gave up: nobody to tell
    p += n;
    size -= static_cast<std::size_t>(n);
  }
}

// A damaged size field can make libhdf5 allocate until the node's memory is
// gone (seen: 24 GB of address space, 14 GB resident within 20 s, then the
// kernel's SIGKILL). The child gets the address space it has now plus
// 1 GiB + 16 x the largest file's size, ample for a results file (an event
// takes 48 bytes in memory, 40 more while its columns are read, and about
// 14 in a compressed file: 5,000 events of a count took 70 KB; the 1 GiB
// covers files of alike events that compress further); beyond that allocations
// fail and the read ends with a refusal, or libhdf5 does without (it reads
// such a file in 10 ms then). Relative to what is mapped now, the limit
// also holds in the sanitized test builds, whose terabytes of shadow memory
// are mapped at start.
void limit_memory(const std::vector<std::string>& paths, std::size_t from) {
  long pages = 0;
  if (std::FILE* statm = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(statm, "%ld", &pages) != 1) pages = 0;
    std::fclose(statm);
  }
  rlim_t largest = 0;
  for (std::size_t i = from; i < paths.size(); ++i) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(paths[i], ec);
    if (!ec) largest = std::max(largest, static_cast<rlim_t>(size));
  }
  rlimit as{};
  if (pages <= 0 || ::getrlimit(RLIMIT_AS, &as) != 0) return;
  const rlim_t wanted =
      static_cast<rlim_t>(pages) * static_cast<rlim_t>(::sysconf(_SC_PAGESIZE)) + (rlim_t{1} << 30) + 16 * largest;
  if (as.rlim_cur == RLIM_INFINITY || wanted < as.rlim_cur) as.rlim_cur = wanted;
  ::setrlimit(RLIMIT_AS, &as);
}

std::string read_one(const std::string& path) {
  try {
    parallel::inject_fault_if_asked(0, "report-read");
    return kData + encode_run_data(results::read_results(path));
  } catch (const results::ResultsError& e) {  // "PATH: reason"
    return kRefused + std::string(e.what());
  } catch (const std::bad_alloc&) {
    return kRefused + path + ": out of memory reading it";
  } catch (const std::exception& e) {
    return kRefused + path + ": " + e.what();
  }
}

[[noreturn]] void child_reads(const std::vector<std::string>& paths, std::size_t from, int fd) {
  const rlimit no_core{0, 0};
  ::setrlimit(RLIMIT_CORE, &no_core);  // a crash on a damaged file is expected here: no core file
  // Die by the signal itself, whatever handlers the parent installed (a
  // sanitizer's, a test framework's, juggle's own for interruptions, which
  // concern the parent's temporaries): the parent tells the crash apart.
  for (const int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGINT, SIGTERM, SIGHUP, SIGPIPE})
    std::signal(sig, SIG_DFL);
  limit_memory(paths, from);
  for (std::size_t i = from; i < paths.size(); ++i) {
    const std::string frame = read_one(paths[i]);
    const std::size_t size = frame.size();
    write_all(fd, &size, sizeof size);
    write_all(fd, frame.data(), frame.size());
  }
  ::_exit(0);  // no atexit handlers, no flushing of the parent's buffered output
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

std::string timed_out(const std::string& path, std::chrono::milliseconds limit) {
  std::ostringstream seconds;
  seconds << std::chrono::duration<double>(limit).count();
  return path + ": damaged: reading it did not finish within " + seconds.str() + " s (--read-timeout)";
}

// The frames in `bytes` that are complete, each into out[next++]; false if
// a frame cannot be one our child wrote.
bool take_frames(std::string& bytes, std::vector<IsolatedRead>& out, std::size_t& next) {
  std::size_t at = 0;
  while (next < out.size() && bytes.size() - at >= sizeof(std::size_t)) {
    std::size_t size = 0;
    std::memcpy(&size, bytes.data() + at, sizeof size);
    if (size == 0 || size > (std::size_t{1} << 40)) return false;
    if (bytes.size() - at - sizeof size < size) break;
    const std::string_view frame(bytes.data() + at + sizeof size, size);
    IsolatedRead& r = out[next];
    if (frame[0] == kRefused) {
      r.error = std::string(frame.substr(1));
    } else if (frame[0] != kData || !(r.run = decode_run_data(frame.substr(1)))) {
      return false;  // out[next] is the file it was about
    }
    at += sizeof size + size;
    ++next;
  }
  bytes.erase(0, at);
  return true;
}

// Reads from `next` on with one child until all are read, the child dies
// or a file overruns its time; in the two last cases that file is
// condemned and the caller starts another child for the rest.
void read_with_one_child(const std::vector<std::string>& paths, std::chrono::milliseconds limit,
                         std::vector<IsolatedRead>& out, std::size_t& next) {
  const auto refuse_the_rest = [&] {  // no process, no reading: every file left says why
    const std::string why = std::strerror(errno);
    for (; next < paths.size(); ++next) out[next].error = paths[next] + ": cannot start a process to read it: " + why;
  };
  int ends[2];
  if (::pipe2(ends, O_CLOEXEC) != 0) return refuse_the_rest();
  files::UniqueFd read_end(ends[0]), write_end(ends[1]);
  const pid_t pid = ::fork();
  if (pid < 0) return refuse_the_rest();
  if (pid == 0) child_reads(paths, next, write_end.get());
  write_end.reset();

  std::string bytes;
  char buffer[1 << 16];
  auto deadline = Clock::now() + limit;
  while (next < paths.size()) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      ::kill(pid, SIGKILL);
      reap(pid);
      out[next].error = timed_out(paths[next], limit);
      ++next;
      return;
    }
    pollfd p{read_end.get(), POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 1000)));
    if (ready <= 0) continue;  // time passes, or EINTR: the deadline decides
    const ssize_t n = ::read(read_end.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {  // the child is gone before every file was read
      const int status = reap(pid);
      out[next].error = paths[next] + ": damaged: " + how_it_ended(status);
      ++next;
      return;
    }
    bytes.append(buffer, static_cast<std::size_t>(n));
    const std::size_t before = next;
    if (!take_frames(bytes, out, next)) {
      ::kill(pid, SIGKILL);
      reap(pid);
      out[next].error = paths[next] + ": damaged: its reader sent a message cut short";
      ++next;
      return;
    }
    if (next != before) deadline = Clock::now() + limit;  // each file has the whole limit
  }
  reap(pid);  // it exits after the last frame
}

}  // namespace

std::vector<IsolatedRead> read_results_isolated(const std::vector<std::string>& paths,
                                                std::chrono::milliseconds limit_per_file) {
  std::vector<IsolatedRead> out(paths.size());
  std::size_t next = 0;
  while (next < paths.size()) read_with_one_child(paths, limit_per_file, out, next);
  return out;
}


}  // namespace juggle::report
