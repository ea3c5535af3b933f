#include "parallel/collectives.hpp"

#include <mpi.h>

#include <climits>
#include <cstdint>
#include <numeric>

#include "parallel/mpi_check.hpp"
#include "parallel/mpi_session.hpp"

namespace juggle::parallel {
namespace {

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
  if (n > static_cast<std::size_t>(INT_MAX)) abort_job(__FILE__, __LINE__, std::string(what) + " exceeds 2 GiB");
  return static_cast<int>(n);
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

}  // namespace

// Alone (no MPI), every collective is the identity on this one rank.

void broadcast_bytes(std::vector<char>& bytes, int root) {
  if (!mpi_active()) return;
  std::uint64_t n = bytes.size();
  JUGGLE_MPI_CHECK(MPI_Bcast(&n, 1, MPI_UINT64_T, root, MPI_COMM_WORLD));
  bytes.resize(n);
  JUGGLE_MPI_CHECK(MPI_Bcast(bytes.data(), as_count(n, "broadcast"), MPI_CHAR, root, MPI_COMM_WORLD));
}

std::vector<char> gather_bytes(std::span<const char> local, int root) {
  if (!mpi_active()) return {local.begin(), local.end()};
  const int rank = world_rank();
  const int size = world_size();
  const int mine = as_count(local.size(), "gathered records of one rank");
  std::vector<int> counts(rank == root ? size : 0);
  JUGGLE_MPI_CHECK(MPI_Gather(&mine, 1, MPI_INT, counts.data(), 1, MPI_INT, root, MPI_COMM_WORLD));
  std::vector<int> offsets(counts.size(), 0);
  std::vector<char> all;
  if (rank == root) {
    std::size_t total = 0;
    for (std::size_t r = 0; r < counts.size(); ++r) {
      offsets[r] = as_count(total, "gathered records");
      total += static_cast<std::size_t>(counts[r]);
    }
    all.resize(total);
    (void)as_count(total, "gathered records");
  }
  JUGGLE_MPI_CHECK(MPI_Gatherv(local.data(), mine, MPI_CHAR, all.data(), counts.data(), offsets.data(), MPI_CHAR,
                               root, MPI_COMM_WORLD));
  return all;
}

void broadcast_strings(std::vector<std::string>& strings, int root) {
  // Length-prefixed, so names may hold any byte, NUL and newline included.
  std::vector<char> bytes;
  if (world_rank() == root) {
    for (const std::string& s : strings) {
      const std::uint64_t n = s.size();
      bytes.insert(bytes.end(), reinterpret_cast<const char*>(&n), reinterpret_cast<const char*>(&n) + sizeof n);
      bytes.insert(bytes.end(), s.begin(), s.end());
    }
  }
  broadcast_bytes(bytes, root);
  strings.clear();
  for (std::size_t pos = 0; pos + sizeof(std::uint64_t) <= bytes.size();) {
    std::uint64_t n = 0;
    std::memcpy(&n, bytes.data() + pos, sizeof n);
    pos += sizeof n;
    strings.emplace_back(bytes.data() + pos, n);
    pos += n;
  }
}

std::vector<char> exchange_bytes(const std::vector<std::vector<char>>& per_rank) {
  const int size = world_size();
  if (static_cast<int>(per_rank.size()) != size) abort_job(__FILE__, __LINE__, "exchange_bytes: one buffer per rank");
  if (!mpi_active()) return per_rank.front();
  std::vector<int> send_counts(static_cast<std::size_t>(size));
  std::vector<int> send_offsets(static_cast<std::size_t>(size));
  std::vector<char> send;
  for (int r = 0; r < size; ++r) {
    const auto& part = per_rank[static_cast<std::size_t>(r)];
    send_offsets[static_cast<std::size_t>(r)] = as_count(send.size(), "exchanged bytes");
    send_counts[static_cast<std::size_t>(r)] = as_count(part.size(), "exchanged bytes");
    send.insert(send.end(), part.begin(), part.end());
  }
  (void)as_count(send.size(), "exchanged bytes");
  std::vector<int> recv_counts(static_cast<std::size_t>(size));
  JUGGLE_MPI_CHECK(MPI_Alltoall(send_counts.data(), 1, MPI_INT, recv_counts.data(), 1, MPI_INT, MPI_COMM_WORLD));
  std::vector<int> recv_offsets(static_cast<std::size_t>(size));
  std::size_t total = 0;
  for (int r = 0; r < size; ++r) {
    recv_offsets[static_cast<std::size_t>(r)] = as_count(total, "exchanged bytes");
    total += static_cast<std::size_t>(recv_counts[static_cast<std::size_t>(r)]);
  }
  std::vector<char> recv(total);
  (void)as_count(total, "exchanged bytes");
  JUGGLE_MPI_CHECK(MPI_Alltoallv(send.data(), send_counts.data(), send_offsets.data(), MPI_CHAR, recv.data(),
                                 recv_counts.data(), recv_offsets.data(), MPI_CHAR, MPI_COMM_WORLD));
  return recv;
}

std::uint64_t sum_to_root(std::uint64_t value, int root) {
  if (!mpi_active()) return value;
  std::uint64_t total = 0;
  JUGGLE_MPI_CHECK(MPI_Reduce(&value, &total, 1, MPI_UINT64_T, MPI_SUM, root, MPI_COMM_WORLD));
  return world_rank() == root ? total : 0;
}

void barrier() {
  if (mpi_active()) JUGGLE_MPI_CHECK(MPI_Barrier(MPI_COMM_WORLD));
}

int min_over_ranks(int value) {
  if (mpi_active()) JUGGLE_MPI_CHECK(MPI_Allreduce(MPI_IN_PLACE, &value, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD));
  return value;
}

int broadcast_int(int value, int root) {
  if (mpi_active()) JUGGLE_MPI_CHECK(MPI_Bcast(&value, 1, MPI_INT, root, MPI_COMM_WORLD));
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
  const int n = as_count(items.size() / item_bytes, "items of an ordered scan");
  std::vector<char> before(items.size());
  with_ordered_operator(item_bytes, combine, [&](MPI_Datatype type, MPI_Op op) {
    JUGGLE_MPI_CHECK(MPI_Exscan(items.data(), before.data(), n, type, op, MPI_COMM_WORLD));
  });
  if (world_rank() == 0) before.clear();  // MPI leaves it undefined
  return before;
}

void all_reduce_in_order(std::vector<char>& items, std::size_t item_bytes, OrderedCombine combine) {
  if (!mpi_active() || items.empty() || item_bytes == 0) return;
  const int n = as_count(items.size() / item_bytes, "items of an ordered reduction");
  with_ordered_operator(item_bytes, combine, [&](MPI_Datatype type, MPI_Op op) {
    JUGGLE_MPI_CHECK(MPI_Allreduce(MPI_IN_PLACE, items.data(), n, type, op, MPI_COMM_WORLD));
  });
}

}  // namespace juggle::parallel
