#include "parallel/messages.hpp"

#include <mpi.h>

#include <climits>
#include <thread>

#include "parallel/mpi_check.hpp"
#include "parallel/mpi_session.hpp"
#include "parallel/round_bytes.hpp"
#include "parallel/traffic.hpp"

namespace juggle::parallel {
namespace {

// `bytes` bytes as one element: blocks of round_bytes() and the rest,
// so a message of any size has a count of 1 (MPI counts are int).
// The caller frees it.
MPI_Datatype large_bytes_type(std::size_t bytes) {
  const std::size_t block = round_bytes();
  if (bytes / block > static_cast<std::size_t>(INT_MAX)) abort_job(__FILE__, __LINE__, "a message of 2^31 rounds or more");
  MPI_Datatype one_block = MPI_DATATYPE_NULL, blocks = MPI_DATATYPE_NULL, whole = MPI_DATATYPE_NULL;
  JUGGLE_MPI_CHECK(MPI_Type_contiguous(static_cast<int>(block), MPI_BYTE, &one_block));
  JUGGLE_MPI_CHECK(MPI_Type_contiguous(static_cast<int>(bytes / block), one_block, &blocks));
  int lengths[2] = {1, static_cast<int>(bytes % block)};
  MPI_Aint displacements[2] = {0, static_cast<MPI_Aint>(bytes - bytes % block)};
  MPI_Datatype types[2] = {blocks, MPI_BYTE};
  JUGGLE_MPI_CHECK(MPI_Type_create_struct(2, lengths, displacements, types, &whole));
  JUGGLE_MPI_CHECK(MPI_Type_commit(&whole));
  JUGGLE_MPI_CHECK(MPI_Type_free(&blocks));
  JUGGLE_MPI_CHECK(MPI_Type_free(&one_block));
  return whole;
}

// Runs call(buffer, count, type) with `bytes` as plain bytes when a count
// of them fits one round, else as one element of large_bytes_type.
template <class Call>
void as_bytes_of_any_size(std::size_t bytes, Call call) {
  if (bytes <= round_bytes()) {
    call(static_cast<int>(bytes), MPI_BYTE);
    return;
  }
  MPI_Datatype type = large_bytes_type(bytes);
  call(1, type);
  JUGGLE_MPI_CHECK(MPI_Type_free(&type));
}

std::vector<char> receive(const MPI_Status& probed) {
  MPI_Count count = 0;
  JUGGLE_MPI_CHECK(MPI_Get_elements_x(&probed, MPI_BYTE, &count));
  std::vector<char> bytes(static_cast<std::size_t>(count));
  as_bytes_of_any_size(bytes.size(), [&](int n, MPI_Datatype type) {
    JUGGLE_MPI_CHECK(
        MPI_Recv(bytes.data(), n, type, probed.MPI_SOURCE, probed.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE));
  });
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
  as_bytes_of_any_size(bytes.size(), [&](int n, MPI_Datatype type) {
    JUGGLE_MPI_CHECK(MPI_Send(bytes.data(), n, type, dest, tag, MPI_COMM_WORLD));
  });
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
