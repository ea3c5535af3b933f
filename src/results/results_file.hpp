// The results file, schema "juggle-results" version 5 (docs/results-format.md).
//
// A run's results are assembled on rank 0 as plain values and written in
// one go: root attributes, /stages, /events, /ranks, and the stage's own
// tables (columns as separate 1-D datasets, so h5py and pandas read them
// without compound types; large ones chunked and compressed,
// column_layout.hpp). What grows with the ranks' work, the events, the
// vocabulary and the per-file tables, is not gathered: rank 0 creates
// those datasets at full size, empty, and each rank then writes its own
// rows (rank_rows.hpp, spread_table.hpp).
// Writing goes to a temporary name that
// is published only when the file is complete (see output_path.hpp), so no
// half-written file ever carries a final name.
#pragma once

#include <cstdint>
#include <string>
#include <optional>
#include <span>
#include <utility>
#include <variant>
#include <vector>

#include "results/rank_rows.hpp"
#include "results/spread_table.hpp"
#include "results/table.hpp"
#include "results/timeline.hpp"

namespace juggle::results {

inline constexpr const char* kSchemaName = "juggle-results";
inline constexpr std::int64_t kSchemaVersion = 5;

// The vocabulary's words are stored front-coded as /tokenize/word_prefix
// and /tokenize/word_suffixes (front_coded_words.hpp), beside their
// /tokenize/counts: the table that grows with the text is then no larger
// than its gzip'd CSV. Its rows are written by the ranks that hold them
// (rank_rows.hpp).
inline constexpr const char* kVocabularyTable = "tokenize";
inline constexpr const char* kVocabularyCounts = "counts";
inline constexpr const char* kVocabularyPrefix = "word_prefix";
inline constexpr const char* kVocabularySuffixes = "word_suffixes";

using AttrValue = std::variant<std::int64_t, std::uint64_t, double, std::string>;
using Attributes = std::vector<std::pair<std::string, AttrValue>>;

// A group holding only attributes, e.g. "count/total".
struct AttributeGroup {
  std::string group;
  Attributes attributes;
};

struct RankRecord {
  std::int32_t rank = 0;
  std::string hostname;
  double wtime_offset = 0;  // MPI_Wtime() at this rank's epoch
  std::uint64_t peak_rss_kb = 0;
  std::uint64_t collectives = 0, collective_bytes = 0, messages = 0, message_bytes = 0;  // sent to MPI
};

struct ResultsContent {
  Attributes root;  // run metadata (see run_metadata.hpp)
  // The run's steps in order (/steps): one per subcommand a job ran, e.g.
  // fetch, count, tokenize; Event::step indexes it.
  std::vector<std::string> steps;
  // /events written whole, or (event_rows set, `events` then empty) created
  // empty with that many rows, for the ranks to write (rank_rows.hpp).
  std::vector<Event> events;
  std::optional<std::uint64_t> event_rows;
  std::vector<RankRecord> ranks;
  std::vector<Table> tables;
  std::vector<AttributeGroup> attribute_groups;
  // The vocabulary's datasets, created empty at these sizes in the group
  // kVocabularyTable; the ranks then write their rows (rank_rows.hpp).
  std::optional<VocabularyShape> vocabulary;
  // Tables whose rows the ranks write (spread_table.hpp), created empty
  // at these shapes (their text columns of variable width written whole).
  std::vector<SpreadTable> spread_tables;
};

// Whether every event's step indexes a run of `steps` steps.
[[nodiscard]] bool steps_in_range(std::span<const Event> events, std::size_t steps) noexcept;

// Writes `content` to `path` (created or truncated), the vocabulary's
// datasets and, with event_rows, the events' empty. Throws std::runtime_error
// naming what failed (std::invalid_argument, before creating anything, when
// `content` has no steps, an event's step is not one of them, or events are
// given both ways); the caller owns removing the partial file.
void write_results_file(const std::string& path, const ResultsContent& content);

}  // namespace juggle::results
