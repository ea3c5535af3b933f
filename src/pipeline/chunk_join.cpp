#include "pipeline/chunk_join.hpp"

#include <algorithm>
#include <cstring>
#include <memory>
#include <span>
#include <stdexcept>
#include <tuple>

#include "parallel/collectives.hpp"
#include "parallel/wire.hpp"

namespace juggle::pipeline {
namespace {

using count::ChunkOutline;
using count::MemberPart;
using count::WindowFunction;

// The ordered combines over items of one trivially copyable type, copied
// out of MPI's buffers (which need not be aligned for it).
template <class T, void (*Combine)(const T&, T&) noexcept>
void combine_items(const char* earlier, char* later, std::size_t items) {
  const auto a = std::make_unique<T>();
  const auto b = std::make_unique<T>();
  for (std::size_t i = 0; i < items; ++i) {
    std::memcpy(a.get(), earlier + i * sizeof(T), sizeof(T));
    std::memcpy(b.get(), later + i * sizeof(T), sizeof(T));
    Combine(*a, *b);
    std::memcpy(later + i * sizeof(T), b.get(), sizeof(T));
  }
}

template <class T>
std::vector<char> as_bytes(const std::vector<T>& items) {
  std::vector<char> bytes(items.size() * sizeof(T));
  if (!bytes.empty()) std::memcpy(bytes.data(), items.data(), bytes.size());
  return bytes;
}

template <class T>
T item_at(const std::vector<char>& bytes, std::size_t i) {
  T item;
  std::memcpy(&item, bytes.data() + i * sizeof(T), sizeof(T));
  return item;
}

// Every rank's outlines, by file, each file's in one order on all ranks.
std::map<std::uint64_t, std::vector<ChunkOutline>> all_outlines(const ChunkRecords& mine, int rank) {
  std::vector<ChunkOutline> local;
  for (const auto& [file, records] : mine)
    for (const count::ChunkCount& c : records) local.push_back(count::outline_of(file, c, rank));
  const std::vector<char> bytes = parallel::all_gather_bytes(as_bytes(local));
  std::map<std::uint64_t, std::vector<ChunkOutline>> by_file;
  for (std::size_t i = 0; i < bytes.size() / sizeof(ChunkOutline); ++i) {
    const auto o = item_at<ChunkOutline>(bytes, i);
    by_file[o.file].push_back(o);
  }
  const auto key = [](const ChunkOutline& o) {
    return std::make_tuple(o.begin, o.end, static_cast<int>(o.kind), o.rank, o.start_bit, o.end_bit);
  };
  for (auto& [file, list] : by_file)
    std::sort(list.begin(), list.end(), [&](const ChunkOutline& a, const ChunkOutline& b) { return key(a) < key(b); });
  return by_file;
}

// Records as they crossed: each a file id, then the record
// (count/member_chunks.hpp's encode_chunk).
void add_records(std::span<const char> bytes, std::map<std::uint64_t, std::vector<count::ChunkCount>>& by_file) {
  for (std::span<const char> in(bytes); !in.empty();) {
    std::uint64_t id = 0;
    std::optional<count::ChunkCount> chunk;
    if (!parallel::wire::get(in, id) || !(chunk = count::decode_chunk(in)))
      throw std::runtime_error("a malformed deflate chunk record from another rank");
    by_file[id].push_back(std::move(*chunk));
  }
}

}  // namespace

JoinedMembers join_chunks_across_ranks(ChunkRecords mine, int rank, int ranks, bool want_segments) {
  JoinedMembers joined;
  const std::map<std::uint64_t, std::vector<ChunkOutline>> outlines = all_outlines(mine, rank);
  if (outlines.empty()) return joined;  // every rank sees the same outlines

  // The plans (the same on every rank), and each used record sent home.
  std::map<std::uint64_t, count::MemberPlan> plans;
  for (const auto& [file, list] : outlines) {
    std::optional<count::MemberPlan> plan = count::plan_member(list, ranks);
    joined.members[file] = std::nullopt;
    if (plan) plans.emplace(file, std::move(*plan));
  }
  // A record stays here when this is its home; the others cross once.
  std::map<std::uint64_t, std::vector<count::ChunkCount>> ranges;
  std::vector<std::vector<char>> to_rank(static_cast<std::size_t>(ranks));
  for (auto& [file, records] : mine) {
    const auto plan = plans.find(file);
    if (plan == plans.end()) continue;
    const std::vector<ChunkOutline>& used = plan->second.used;
    std::vector<bool> claimed(used.size(), false);
    for (count::ChunkCount& c : records) {
      const count::ChunkOutline o = count::outline_of(file, c, rank);
      // `used` is in file order: the candidates are the records of this begin.
      auto it = std::lower_bound(used.begin(), used.end(), o.begin,
                                 [](const ChunkOutline& u, std::uint64_t begin) { return u.begin < begin; });
      while (it != used.end() && it->begin == o.begin &&
             (claimed[static_cast<std::size_t>(it - used.begin())] || !count::same_record(*it, o)))
        ++it;
      if (it == used.end() || it->begin != o.begin) continue;
      const auto j = static_cast<std::size_t>(it - used.begin());
      claimed[j] = true;
      const int home = plan->second.home[j];
      if (home == rank) {
        ranges[file].push_back(std::move(c));
        continue;
      }
      parallel::wire::put(to_rank[static_cast<std::size_t>(home)], file);
      count::encode_chunk(c, to_rank[static_cast<std::size_t>(home)]);
    }
  }
  mine.clear();
  add_records(parallel::exchange_bytes(to_rank), ranges);
  to_rank.clear();
  for (auto& [file, range] : ranges)
    std::sort(range.begin(), range.end(),
              [](const count::ChunkCount& a, const count::ChunkCount& b) { return a.begin < b.begin; });

  // Each range's window function; the scan gives the function of all the
  // ranges before it.
  std::vector<WindowFunction> functions;
  functions.reserve(plans.size());
  for (const auto& [file, plan] : plans) functions.push_back(count::window_function(ranges[file]));
  const std::vector<char> before = parallel::exclusive_scan_in_order(
      as_bytes(functions), sizeof(WindowFunction), &combine_items<WindowFunction, count::compose>);
  functions.clear();

  // Each range resolved with the true window entering it; the parts of all
  // ranges combined in order.
  std::vector<MemberPart> parts;
  std::size_t i = 0;
  for (const auto& [file, plan] : plans) {
    const WindowFunction prefix = before.empty() ? WindowFunction{} : item_at<WindowFunction>(before, i);
    std::vector<count::MemberSegment>* segments = want_segments ? &joined.segments[file] : nullptr;
    parts.push_back(count::resolve_range(ranges[file], count::leaving_window(prefix), prefix.size, segments));
    ++i;
  }
  ranges.clear();
  std::vector<char> totals = as_bytes(parts);
  parallel::all_reduce_in_order(totals, sizeof(MemberPart), &combine_items<MemberPart, count::combine>);
  i = 0;
  for (const auto& [file, plan] : plans) {
    joined.members[file] = count::finish_member(plan, item_at<MemberPart>(totals, i++));
    if (!joined.members[file]) joined.segments.erase(file);
  }
  return joined;
}

}  // namespace juggle::pipeline
