// The few collectives juggle needs, over MPI_COMM_WORLD, as typed helpers.
//
// Records cross ranks as raw bytes of trivially copyable structs: juggle's
// ranks run one binary on one architecture, as an MPI job does. Gathered
// records arrive at the root grouped by rank; callers put them back in index
// order (pigz's rule), so nothing depends on which rank finished first.
//
// Every collective here takes any size: each MPI call moves at most 1 GiB
// into one rank (round_bytes.hpp; JUGGLE_MPI_ROUND_BYTES lowers that for
// tests) and more takes several rounds, so no int count or displacement
// overflows. The ordered scan and reduction go round by round over their
// items.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

namespace juggle::parallel {

// Root's bytes replace everyone else's.
void broadcast_bytes(std::vector<char>& bytes, int root);

// Every rank's bytes, concatenated in rank order at root (empty elsewhere).
[[nodiscard]] std::vector<char> gather_bytes(std::span<const char> local, int root);

void broadcast_strings(std::vector<std::string>& strings, int root);

// Every rank's strings, in rank order, at root (empty elsewhere).
[[nodiscard]] std::vector<std::string> gather_strings(const std::vector<std::string>& local, int root);

// All-to-all: per_rank[r] goes to rank r; returns what every rank sent to
// this one, concatenated in rank order (MPI_Alltoallv).
[[nodiscard]] std::vector<char> exchange_bytes(const std::vector<std::vector<char>>& per_rank);

// Sum of one value over all ranks, at root (0 elsewhere).
[[nodiscard]] std::uint64_t sum_to_root(std::uint64_t value, int root);

template <class T>
void broadcast_records(std::vector<T>& records, int root) {
  static_assert(std::is_trivially_copyable_v<T>);
  std::vector<char> bytes(records.size() * sizeof(T));
  if (!records.empty()) std::memcpy(bytes.data(), records.data(), bytes.size());
  broadcast_bytes(bytes, root);
  records.resize(bytes.size() / sizeof(T));
  if (!records.empty()) std::memcpy(records.data(), bytes.data(), bytes.size());
}

template <class T>
[[nodiscard]] std::vector<T> gather_records(std::span<const T> local, int root) {
  static_assert(std::is_trivially_copyable_v<T>);
  const auto bytes = gather_bytes({reinterpret_cast<const char*>(local.data()), local.size_bytes()}, root);
  std::vector<T> all(bytes.size() / sizeof(T));
  if (!all.empty()) std::memcpy(all.data(), bytes.data(), bytes.size());
  return all;
}

void barrier();

// Every rank's bytes, concatenated in rank order, on every rank.
[[nodiscard]] std::vector<char> all_gather_bytes(std::span<const char> local);

// An associative combine that need not commute, applied item by item:
// later[i] := earlier[i] then later[i], for `items` items of one type
// (whose bytes may be unaligned: copy them out).
using OrderedCombine = void (*)(const char* earlier, char* later, std::size_t items);

// Exclusive scan in rank order (MPI_Exscan with a non-commutative
// operator): rank r gets the items of ranks 0..r-1 combined, item by item;
// rank 0 gets an empty vector (nothing comes before it). Every rank passes
// the same number of items of `item_bytes` each.
[[nodiscard]] std::vector<char> exclusive_scan_in_order(std::span<const char> items, std::size_t item_bytes,
                                                        OrderedCombine combine);
// The items of every rank combined in rank order, on every rank
// (MPI_Allreduce with a non-commutative operator).
void all_reduce_in_order(std::vector<char>& items, std::size_t item_bytes, OrderedCombine combine);

// The smallest of one value over all ranks, on every rank.
[[nodiscard]] int min_over_ranks(int value);

// Root's value, on every rank.
[[nodiscard]] int broadcast_int(int value, int root);

// The sum of `value` over ranks 0..r-1 on rank r (0 on rank 0): where this
// rank's rows or bytes start when every rank's follow in rank order.
[[nodiscard]] std::uint64_t sum_before_me(std::uint64_t value);

// Collective. "" on every rank when `why` is "" on every rank; else the
// `why` of the lowest-numbered rank whose `why` is not "", on every rank:
// the ranks agree on one outcome of a step each did alone.
[[nodiscard]] std::string agree_on_failure(const std::string& why);

// The sum of `value` over all ranks, on every rank.
[[nodiscard]] std::uint64_t sum_over_ranks(std::uint64_t value);

// The largest `value` of any rank, on every rank.
[[nodiscard]] std::uint64_t max_over_ranks(std::uint64_t value);

// The same for several values in one call, element by element, in place
// (the same number on every rank; a few, not a column: one MPI call).
void sum_over_ranks(std::span<std::uint64_t> values);
void max_over_ranks(std::span<std::uint64_t> values);

}  // namespace juggle::parallel
