#include "parallel/messages.hpp"

#include <mpi.h>

#include <climits>
#include <thread>

#include "parallel/mpi_check.hpp"
#include "parallel/mpi_session.hpp"
#include "parallel/traffic.hpp"

namespace juggle::parallel {
namespace {

std::vector<char> receive(const MPI_Status& probed) {
  int count = 0;
  JUGGLE_MPI_CHECK(MPI_Get_count(&probed, MPI_CHAR, &count));
  std::vector<char> bytes(static_cast<std::size_t>(count));
  JUGGLE_MPI_CHECK(MPI_Recv(bytes.data(), count, MPI_CHAR, probed.MPI_SOURCE, probed.MPI_TAG, MPI_COMM_WORLD,
                            MPI_STATUS_IGNORE));
  return bytes;
}

std::optional<Message> probe(int source, int tag) {
  int arrived = 0;
  MPI_Status status;
  JUGGLE_MPI_CHECK(MPI_Iprobe(source, tag, MPI_COMM_WORLD, &arrived, &status));
  if (!arrived) return std::nullopt;
  Message m;
  m.source = status.MPI_SOURCE;
  m.bytes = receive(status);
  return m;
}

}  // namespace

void Backoff::idle() {
  if (us_ == 0) {
    us_ = 1;
    std::this_thread::yield();
    return;
  }
  std::this_thread::sleep_for(std::chrono::microseconds(us_));
  us_ = us_ * 2 > max_us_ ? max_us_ : us_ * 2;
}

void send_message(int dest, int tag, std::span<const char> bytes) {
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) abort_job(__FILE__, __LINE__, "a message exceeds 2 GiB");
  JUGGLE_MPI_CHECK(
      MPI_Send(bytes.data(), static_cast<int>(bytes.size()), MPI_CHAR, dest, tag, MPI_COMM_WORLD));
  count_message(bytes.size());
}

std::optional<Message> poll_message(int tag) { return probe(MPI_ANY_SOURCE, tag); }

std::optional<Message> await_message(int source, int tag, const std::atomic<bool>& stop, int max_sleep_us) {
  Backoff backoff(max_sleep_us);
  while (!stop.load(std::memory_order_relaxed)) {
    if (std::optional<Message> m = probe(source, tag)) return m;
    backoff.idle();
  }
  return std::nullopt;
}

}  // namespace juggle::parallel
