#include "parallel/collectives.hpp"

#include <mpi.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <numeric>
#include <stdexcept>
#include <string>

#include "parallel/mpi_check.hpp"
#include "parallel/mpi_session.hpp"
#include "parallel/round_bytes.hpp"
#include "parallel/traffic.hpp"
#include "parallel/wire.hpp"

namespace juggle::parallel {
namespace {

// Strings written one after another by wire::put_text.
std::vector<std::string> strings_of(std::span<const char> bytes) {
  std::vector<std::string> strings;
  std::string s;
  while (!bytes.empty()) {
    if (!wire::get_text(bytes, s)) throw std::runtime_error("a list of strings cut short in a message");
    strings.push_back(std::move(s));
  }
  return strings;
}

int world_rank() {
  int rank = 0;
  if (!mpi_active()) return 0;
  JUGGLE_MPI_CHECK(MPI_Comm_rank(MPI_COMM_WORLD, &rank));
  return rank;
}

int world_size() {
  int size = 1;
  if (!mpi_active()) return 1;
  JUGGLE_MPI_CHECK(MPI_Comm_size(MPI_COMM_WORLD, &size));
  return size;
}

// MPI counts are int: refuse, with a message, what would overflow them.
int as_count(std::size_t n, const char* what) {
  if (n > static_cast<std::size_t>(INT_MAX)) abort_job(__FILE__, __LINE__, std::string(what) + ": more than 2^31 - 1");
  return static_cast<int>(n);
}

// Per sender and round, when `senders` ranks each send into one rank.
std::size_t share_per_round(int senders) {
  return std::max<std::size_t>(1, round_bytes() / static_cast<std::size_t>(senders));
}

std::uint64_t rounds_for(std::uint64_t largest, std::size_t per_round) {
  return (largest + per_round - 1) / per_round;
}

// MPI's user-defined operators take no context, so the combine of the one
// ordered collective in flight is here; collectives run on one thread per
// rank (MPI_THREAD_FUNNELED), one at a time.
OrderedCombine ordered_combine = nullptr;

void apply_ordered_combine(void* in, void* inout, int* len, MPI_Datatype* /*type*/) {
  ordered_combine(static_cast<const char*>(in), static_cast<char*>(inout), static_cast<std::size_t>(*len));
}

// Runs call(type, op) with a contiguous type of item_bytes and the
// non-commutative operator applying `combine`.
template <class Call>
void with_ordered_operator(std::size_t item_bytes, OrderedCombine combine, Call call) {
  MPI_Datatype type = MPI_DATATYPE_NULL;
  JUGGLE_MPI_CHECK(MPI_Type_contiguous(as_count(item_bytes, "one item of an ordered collective"), MPI_BYTE, &type));
  JUGGLE_MPI_CHECK(MPI_Type_commit(&type));
  MPI_Op op = MPI_OP_NULL;
  JUGGLE_MPI_CHECK(MPI_Op_create(&apply_ordered_combine, 0, &op));
  ordered_combine = combine;
  call(type, op);
  ordered_combine = nullptr;
  JUGGLE_MPI_CHECK(MPI_Op_free(&op));
  JUGGLE_MPI_CHECK(MPI_Type_free(&type));
}

// Runs call(first byte, items, type, op) over `bytes` of items of
// `item_bytes` each, in rounds of at most round_bytes() (and at least one
// item): the combine is item by item, so each round is the whole collective
// on its own items. Every rank passes the same number of items, so the
// ranks agree on the rounds.
template <class Call>
void for_each_round_of_items(std::size_t bytes, std::size_t item_bytes, Call call, OrderedCombine combine) {
  const std::size_t items = bytes / item_bytes;
  const std::size_t per_round = std::clamp<std::size_t>(round_bytes() / item_bytes, 1, INT_MAX);
  with_ordered_operator(item_bytes, combine, [&](MPI_Datatype type, MPI_Op op) {
    for (std::size_t first = 0; first < items; first += per_round) {
      const std::size_t n = std::min(per_round, items - first);
      call(first * item_bytes, static_cast<int>(n), type, op);
      count_collective(n * item_bytes);
    }
  });
}

}  // namespace

// Alone (no MPI), every collective is the identity on this one rank.

void broadcast_bytes(std::vector<char>& bytes, int root) {
  if (!mpi_active()) return;
  const bool sender = world_rank() == root;
  std::uint64_t n = bytes.size();
  JUGGLE_MPI_CHECK(MPI_Bcast(&n, 1, MPI_UINT64_T, root, MPI_COMM_WORLD));
  count_collective(sender ? sizeof n : 0);
  bytes.resize(n);
  for (std::uint64_t at = 0; at < n; at += round_bytes()) {
    const auto part = static_cast<int>(std::min<std::uint64_t>(round_bytes(), n - at));
    JUGGLE_MPI_CHECK(MPI_Bcast(bytes.data() + at, part, MPI_CHAR, root, MPI_COMM_WORLD));
    count_collective(sender ? static_cast<std::uint64_t>(part) : 0);
  }
}

std::vector<char> gather_bytes(std::span<const char> local, int root) {
  if (!mpi_active()) return {local.begin(), local.end()};
  const int rank = world_rank();
  const int size = world_size();
  const std::uint64_t mine = local.size();
  std::vector<std::uint64_t> sizes(static_cast<std::size_t>(size));
  JUGGLE_MPI_CHECK(MPI_Allgather(&mine, 1, MPI_UINT64_T, sizes.data(), 1, MPI_UINT64_T, MPI_COMM_WORLD));
  count_collective(sizeof mine);
  std::vector<std::uint64_t> starts(sizes.size() + 1, 0);  // of each rank's bytes in the result
  std::partial_sum(sizes.begin(), sizes.end(), starts.begin() + 1);
  std::vector<char> all(rank == root ? starts.back() : 0);
  // Round k carries bytes [k*share, (k+1)*share) of every rank's part.
  const std::size_t share = share_per_round(size);
  const std::uint64_t rounds = rounds_for(*std::max_element(sizes.begin(), sizes.end()), share);
  std::vector<int> counts(static_cast<std::size_t>(size)), offsets(static_cast<std::size_t>(size));
  std::vector<char> arrived;
  for (std::uint64_t k = 0; k < rounds; ++k) {
    const std::uint64_t from = k * share;
    int total = 0;
    for (std::size_t r = 0; r < sizes.size(); ++r) {
      counts[r] = static_cast<int>(sizes[r] > from ? std::min<std::uint64_t>(share, sizes[r] - from) : 0);
      offsets[r] = total;
      total += counts[r];
    }
    arrived.resize(rank == root ? static_cast<std::size_t>(total) : 0);
    JUGGLE_MPI_CHECK(MPI_Gatherv(local.data() + std::min<std::uint64_t>(from, mine), counts[static_cast<std::size_t>(rank)],
                                 MPI_CHAR, arrived.data(), counts.data(), offsets.data(), MPI_CHAR, root,
                                 MPI_COMM_WORLD));
    count_collective(rank == root ? 0 : static_cast<std::uint64_t>(counts[static_cast<std::size_t>(rank)]));
    if (rank != root) continue;
    for (std::size_t r = 0; r < sizes.size(); ++r)
      if (counts[r] > 0) std::memcpy(all.data() + starts[r] + from, arrived.data() + offsets[r], counts[r]);
  }
  return all;
}

void broadcast_strings(std::vector<std::string>& strings, int root) {
  // Length-prefixed, so names may hold any byte, NUL and newline included.
  std::vector<char> bytes;
  if (world_rank() == root)
    for (const std::string& s : strings) wire::put_text(bytes, s);
  broadcast_bytes(bytes, root);
  strings = strings_of(bytes);
}

std::vector<std::string> gather_strings(const std::vector<std::string>& local, int root) {
  std::vector<char> bytes;
  for (const std::string& s : local) wire::put_text(bytes, s);
  return strings_of(gather_bytes(bytes, root));
}

std::vector<char> exchange_bytes(const std::vector<std::vector<char>>& per_rank) {
  const int size = world_size();
  if (static_cast<int>(per_rank.size()) != size) abort_job(__FILE__, __LINE__, "exchange_bytes: one buffer per rank");
  if (!mpi_active()) return per_rank.front();
  const auto ranks = static_cast<std::size_t>(size);
  std::vector<std::uint64_t> send_sizes(ranks), recv_sizes(ranks);
  for (std::size_t r = 0; r < ranks; ++r) send_sizes[r] = per_rank[r].size();
  JUGGLE_MPI_CHECK(
      MPI_Alltoall(send_sizes.data(), 1, MPI_UINT64_T, recv_sizes.data(), 1, MPI_UINT64_T, MPI_COMM_WORLD));
  const auto me = static_cast<std::size_t>(world_rank());
  count_collective(sizeof(std::uint64_t) * (ranks - 1));
  std::vector<std::uint64_t> starts(ranks + 1, 0);  // of each sender's bytes in the result
  std::partial_sum(recv_sizes.begin(), recv_sizes.end(), starts.begin() + 1);
  std::vector<char> recv(starts.back());
  // Round k carries bytes [k*share, (k+1)*share) of every pair's part.
  const std::size_t share = share_per_round(size);
  const std::uint64_t rounds = rounds_for(max_over_ranks(*std::max_element(send_sizes.begin(), send_sizes.end())), share);
  std::vector<int> send_counts(ranks), send_offsets(ranks), recv_counts(ranks), recv_offsets(ranks);
  std::vector<char> send, arrived;
  const auto slice = [share](std::uint64_t bytes, std::uint64_t from) {
    return static_cast<int>(bytes > from ? std::min<std::uint64_t>(share, bytes - from) : 0);
  };
  for (std::uint64_t k = 0; k < rounds; ++k) {
    const std::uint64_t from = k * share;
    send.clear();
    int sent = 0, received = 0;
    for (std::size_t r = 0; r < ranks; ++r) {
      send_counts[r] = slice(send_sizes[r], from);
      send_offsets[r] = sent;
      sent += send_counts[r];
      send.insert(send.end(), per_rank[r].begin() + static_cast<std::ptrdiff_t>(std::min(from, send_sizes[r])),
                  per_rank[r].begin() + static_cast<std::ptrdiff_t>(std::min(from, send_sizes[r]) + send_counts[r]));
      recv_counts[r] = slice(recv_sizes[r], from);
      recv_offsets[r] = received;
      received += recv_counts[r];
    }
    arrived.resize(static_cast<std::size_t>(received));
    JUGGLE_MPI_CHECK(MPI_Alltoallv(send.data(), send_counts.data(), send_offsets.data(), MPI_CHAR, arrived.data(),
                                   recv_counts.data(), recv_offsets.data(), MPI_CHAR, MPI_COMM_WORLD));
    count_collective(static_cast<std::uint64_t>(sent - send_counts[me]));
    for (std::size_t r = 0; r < ranks; ++r)
      if (recv_counts[r] > 0) std::memcpy(recv.data() + starts[r] + from, arrived.data() + recv_offsets[r], recv_counts[r]);
  }
  return recv;
}

std::uint64_t sum_to_root(std::uint64_t value, int root) {
  if (!mpi_active()) return value;
  std::uint64_t total = 0;
  JUGGLE_MPI_CHECK(MPI_Reduce(&value, &total, 1, MPI_UINT64_T, MPI_SUM, root, MPI_COMM_WORLD));
  const bool at_root = world_rank() == root;
  count_collective(at_root ? 0 : sizeof value);
  return at_root ? total : 0;
}

std::uint64_t sum_before_me(std::uint64_t value) {
  if (!mpi_active()) return 0;
  std::uint64_t before = 0;
  JUGGLE_MPI_CHECK(MPI_Exscan(&value, &before, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD));
  count_collective(sizeof value);
  return world_rank() == 0 ? 0 : before;  // MPI leaves rank 0's result undefined
}

std::string agree_on_failure(const std::string& why) {
  if (!mpi_active()) return why;
  const int first_failed = min_over_ranks(why.empty() ? INT_MAX : world_rank());
  if (first_failed == INT_MAX) return "";
  std::vector<std::string> reason{why};
  broadcast_strings(reason, first_failed);
  return reason.empty() ? "failed on rank " + std::to_string(first_failed) : reason.front();
}

std::uint64_t sum_over_ranks(std::uint64_t value) {
  if (!mpi_active()) return value;
  JUGGLE_MPI_CHECK(MPI_Allreduce(MPI_IN_PLACE, &value, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD));
  count_collective(sizeof value);
  return value;
}

void sum_over_ranks(std::span<std::uint64_t> values) {
  if (!mpi_active() || values.empty()) return;
  JUGGLE_MPI_CHECK(MPI_Allreduce(MPI_IN_PLACE, values.data(), static_cast<int>(values.size()), MPI_UINT64_T, MPI_SUM,
                                 MPI_COMM_WORLD));
  count_collective(values.size_bytes());
}

void max_over_ranks(std::span<std::uint64_t> values) {
  if (!mpi_active() || values.empty()) return;
  JUGGLE_MPI_CHECK(MPI_Allreduce(MPI_IN_PLACE, values.data(), static_cast<int>(values.size()), MPI_UINT64_T, MPI_MAX,
                                 MPI_COMM_WORLD));
  count_collective(values.size_bytes());
}

std::uint64_t max_over_ranks(std::uint64_t value) {
  if (!mpi_active()) return value;
  JUGGLE_MPI_CHECK(MPI_Allreduce(MPI_IN_PLACE, &value, 1, MPI_UINT64_T, MPI_MAX, MPI_COMM_WORLD));
  count_collective(sizeof value);
  return value;
}

void barrier() {
  if (!mpi_active()) return;
  JUGGLE_MPI_CHECK(MPI_Barrier(MPI_COMM_WORLD));
  count_collective(0);
}

int min_over_ranks(int value) {
  if (!mpi_active()) return value;
  JUGGLE_MPI_CHECK(MPI_Allreduce(MPI_IN_PLACE, &value, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD));
  count_collective(sizeof value);
  return value;
}

int broadcast_int(int value, int root) {
  if (!mpi_active()) return value;
  JUGGLE_MPI_CHECK(MPI_Bcast(&value, 1, MPI_INT, root, MPI_COMM_WORLD));
  count_collective(world_rank() == root ? sizeof value : 0);
  return value;
}

std::vector<char> all_gather_bytes(std::span<const char> local) {
  std::vector<char> all = gather_bytes(local, 0);
  broadcast_bytes(all, 0);
  return all;
}

std::vector<char> exclusive_scan_in_order(std::span<const char> items, std::size_t item_bytes,
                                          OrderedCombine combine) {
  if (!mpi_active() || items.empty() || item_bytes == 0) return {};
  std::vector<char> before(items.size());
  for_each_round_of_items(items.size(), item_bytes, [&](std::size_t at, int n, MPI_Datatype type, MPI_Op op) {
    JUGGLE_MPI_CHECK(MPI_Exscan(items.data() + at, before.data() + at, n, type, op, MPI_COMM_WORLD));
  }, combine);
  if (world_rank() == 0) before.clear();  // MPI leaves it undefined
  return before;
}

void all_reduce_in_order(std::vector<char>& items, std::size_t item_bytes, OrderedCombine combine) {
  if (!mpi_active() || items.empty() || item_bytes == 0) return;
  for_each_round_of_items(items.size(), item_bytes, [&](std::size_t at, int n, MPI_Datatype type, MPI_Op op) {
    JUGGLE_MPI_CHECK(MPI_Allreduce(MPI_IN_PLACE, items.data() + at, n, type, op, MPI_COMM_WORLD));
  }, combine);
}

}  // namespace juggle::parallel
