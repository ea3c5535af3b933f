// The timed stages of a juggle run: an enum and its name table (as in
// Quicksilver's timers). The enum value is the stage id stored in results
// files (/events/stage indexes /stages), so new stages are appended, never
// inserted or renumbered.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace juggle::results {

enum class Stage : std::int32_t {
  walk = 0,       // rank 0 expands the input paths into the file list
  distribute,     // partition the list and broadcast it to every rank
  count,          // one rank's whole count loop (its busy time)
  count_file,     // one file counted by one thread
  gather,         // per-piece records and rank summaries collected on rank 0
  tokenize,       // one rank's whole tokenize loop (its busy time)
  tokenize_piece, // one file or byte range tokenized by one thread
  merge,          // a rank's thread word maps merged into one
  shuffle,        // words sent to the rank that owns their hash shard
  collect,        // top words reduced on rank 0; the stored vocabulary laid out across the ranks
  fetch,          // rank 0's whole fetch stage
  fetch_transfer, // one URL, first attempt to last (thread: the worker)
  resolve_host,   // one host name lookup (thread: the worker)
  wait,           // a worker thread waiting for its next piece (none in hand)
  count_tokenize_piece,  // one file decoded once, its bytes counted and tokenized, by one thread
  pipeline,       // one rank's whole piece loop in a job of several stages (its busy time)
  join,           // the deflate chunks of cut members joined across ranks (collective)
};

[[nodiscard]] std::span<const std::string_view> stage_names() noexcept;
[[nodiscard]] std::string_view stage_name(Stage stage) noexcept;

}  // namespace juggle::results
