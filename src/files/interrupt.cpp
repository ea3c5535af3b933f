#include "files/interrupt.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstring>

namespace juggle::files {
namespace {

// Enough for the largest fetch concurrency (1024) and the results file,
// CSV and generated files at once.
constexpr int kSlots = 1100;
constexpr std::size_t kNameBytes = 1024;

enum SlotState : int { kFree = 0, kWriting = 1, kReady = 2 };

struct Slot {
  std::atomic<int> state{kFree};
  int dir_fd = AT_FDCWD;
  char name[kNameBytes] = {};
};

Slot g_slots[kSlots];
std::atomic<bool> g_installed{false};

// The handler's line, built in a fixed buffer with async-signal-safe code
// only and written with one write(2) (mpirun interleaves what ranks write in
// pieces with its own messages).
class Line {
 public:
  Line& text(const char* s) noexcept {
    while (*s && used_ < sizeof buffer_ - 1) buffer_[used_++] = *s++;
    return *this;
  }
  Line& number(int value) noexcept {
    char digits[12];
    int n = 0;
    do digits[n++] = static_cast<char>('0' + value % 10);
    while ((value /= 10) > 0 && n < 12);
    while (n > 0 && used_ < sizeof buffer_ - 1) buffer_[used_++] = digits[--n];
    return *this;
  }
  void write() const noexcept { (void)!::write(STDERR_FILENO, buffer_, used_); }

 private:
  char buffer_[160] = {};
  std::size_t used_ = 0;
};

const char* signal_name(int sig) noexcept {
  switch (sig) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    case SIGHUP: return "SIGHUP";
    default: return "?";
  }
}

// "juggle: interrupted by signal 15 (SIGTERM); temporary files removed: 3"
extern "C" void on_interrupt(int sig) {
  const int removed = remove_registered_temporaries();
  Line()
      .text("juggle: interrupted by signal ")
      .number(sig)
      .text(" (")
      .text(signal_name(sig))
      .text("); temporary files removed: ")
      .number(removed)
      .text("\n")
      .write();
  ::_exit(128 + sig);
}

}  // namespace

void install_interrupt_handler() {
  if (g_installed.exchange(true)) return;
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  // The other interrupts wait while one is handled: the handler exits.
  sigaddset(&action.sa_mask, SIGINT);
  sigaddset(&action.sa_mask, SIGTERM);
  sigaddset(&action.sa_mask, SIGHUP);
  for (const int sig : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction old {};
    sigaction(sig, nullptr, &old);
    // A signal the launcher told this process to ignore (nohup) stays ignored.
    if (old.sa_handler == SIG_IGN) continue;
    sigaction(sig, &action, nullptr);
  }
}

void uninstall_interrupt_handler() {
  if (!g_installed.exchange(false)) return;
  struct sigaction action {};
  action.sa_handler = SIG_DFL;
  sigemptyset(&action.sa_mask);
  for (const int sig : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction old {};
    sigaction(sig, nullptr, &old);
    if (old.sa_handler == on_interrupt) sigaction(sig, &action, nullptr);
  }
}

RemoveOnInterrupt::RemoveOnInterrupt(int dir_fd, const std::string& name) noexcept {
  if (name.empty() || name.size() >= kNameBytes) return;
  for (int i = 0; i < kSlots; ++i) {
    int expected = kFree;
    if (!g_slots[i].state.compare_exchange_strong(expected, kWriting, std::memory_order_acquire)) continue;
    g_slots[i].dir_fd = dir_fd;
    std::memcpy(g_slots[i].name, name.c_str(), name.size() + 1);
    g_slots[i].state.store(kReady, std::memory_order_release);
    slot_ = i;
    return;
  }
}

RemoveOnInterrupt& RemoveOnInterrupt::operator=(RemoveOnInterrupt&& other) noexcept {
  if (this != &other) {
    release();
    slot_ = other.slot_;
    other.slot_ = -1;
  }
  return *this;
}

void RemoveOnInterrupt::release() noexcept {
  if (slot_ < 0) return;
  g_slots[slot_].state.store(kFree, std::memory_order_release);
  slot_ = -1;
}

int remove_registered_temporaries() noexcept {
  int removed = 0;
  for (Slot& slot : g_slots)
    if (slot.state.load(std::memory_order_acquire) == kReady && ::unlinkat(slot.dir_fd, slot.name, 0) == 0) ++removed;
  return removed;
}

int registered_temporaries() noexcept {
  int n = 0;
  for (const Slot& slot : g_slots) n += slot.state.load(std::memory_order_relaxed) == kReady;
  return n;
}

}  // namespace juggle::files
