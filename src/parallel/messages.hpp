// Point-to-point messages between ranks, for the piece engine's requests
// and grants (pipeline/dispatch.hpp). MPI stays in src/parallel/.
//
// Waiting is polling with a growing sleep, never a blocking MPI call:
// OpenMPI's blocking receive spins a core, and the thread that waits here
// shares its cores with the threads that compute. Only the thread that
// initialised MPI may call these (MPI_THREAD_FUNNELED).
#pragma once

#include <atomic>
#include <optional>
#include <span>
#include <vector>

namespace juggle::parallel {

struct Message {
  int source = -1;
  std::vector<char> bytes;
};

// Sends `bytes`, of any size, to rank `dest` with `tag` (returns once the
// buffer may be reused).
void send_message(int dest, int tag, std::span<const char> bytes);

// A message with `tag` from any rank if one has arrived; never blocks.
[[nodiscard]] std::optional<Message> poll_message(int tag);

// Waits for a message with `tag` from `source`, sleeping between polls
// (from 0 up to `max_sleep_us`). Returns nothing once `stop` is set.
[[nodiscard]] std::optional<Message> await_message(int source, int tag, const std::atomic<bool>& stop,
                                                   int max_sleep_us = 500);

// A sleep that starts at nothing and doubles up to a ceiling while a loop
// finds nothing to do; reset when it does.
class Backoff {
 public:
  explicit Backoff(int max_us) : max_us_(max_us) {}
  void idle();
  void reset() noexcept { us_ = 0; }

 private:
  int max_us_;
  int us_ = 0;
};

}  // namespace juggle::parallel
