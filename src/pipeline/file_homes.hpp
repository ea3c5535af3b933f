// Per-file rows spread over the ranks, so no rank gathers them.
//
// A stage's inputs are numbered by their position in the input order; the
// ranks share the positions in blocks (parallel/blocks.hpp), rank r the
// home of block r. After the engine every piece's record goes to the home
// of its file (one all-to-all), which joins the file's pieces there and
// later writes the file's row of the results file. Only rank 0's walk
// knows the inputs' paths: it sends each home its block of them (the one
// message that grows with the files on rank 0, which made the list).
//
// Records name files by id. In count and tokenize an id is the file's
// position; in a job (job_pipeline.hpp) ids number the files as they came
// (walk and downloads) and each stage orders its own, a map rank 0 holds.
// Then a record travels twice: to the home of its id, which learns its
// block of the map from rank 0, and on to the home of its position.
//
// Rows leave their home only to be printed (rank 0 prints): the failed
// and warned files always, every file for --per-file (gather_rows).
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#include "files/walk.hpp"
#include "parallel/blocks.hpp"
#include "parallel/collectives.hpp"

namespace juggle::pipeline {

// A stage's inputs as their homes hold them: this rank's block, positions
// [first, first + inputs.size()) of `total`.
struct HomeInputs {
  std::uint64_t total = 0;  // the stage's inputs, on every rank
  std::uint64_t first = 0;
  std::vector<files::InputFile> inputs;
};

// Collective: rank 0's `inputs` (input order; ignored elsewhere), each
// rank receiving its block.
[[nodiscard]] HomeInputs scatter_inputs(const std::vector<files::InputFile>& inputs, int rank, int ranks);

// Inputs as bytes, and back (a path, a size, a problem, a flag each);
// decode throws std::runtime_error on bytes that are not such a list.
void encode_inputs(std::span<const files::InputFile> inputs, std::vector<char>& out);
[[nodiscard]] std::vector<files::InputFile> decode_inputs(std::span<const char> bytes);

// Collective: `records` each sent to the rank home_of(record) names;
// returns what this rank received (ranks in order, each's in its order).
// `records` is emptied first, so a rank holds its records about twice at
// most (as bytes to send, then as bytes received and as records).
template <class Record, class HomeOf>
[[nodiscard]] std::vector<Record> send_records(std::vector<Record>&& records, int ranks, HomeOf home_of) {
  static_assert(std::is_trivially_copyable_v<Record>);
  std::vector<std::vector<char>> out(static_cast<std::size_t>(ranks));
  for (const Record& r : records) {
    std::vector<char>& to = out.at(static_cast<std::size_t>(home_of(r)));
    const std::size_t at = to.size();
    to.resize(at + sizeof r);
    std::memcpy(to.data() + at, &r, sizeof r);
  }
  std::vector<Record>().swap(records);
  std::vector<char> in = parallel::exchange_bytes(out);
  std::vector<std::vector<char>>().swap(out);
  std::vector<Record> received(in.size() / sizeof(Record));
  if (!received.empty()) std::memcpy(received.data(), in.data(), received.size() * sizeof(Record));
  return received;
}

// How a stage's file ids become positions (the top of this file).
class FilePositions {
 public:
  // Collective. `position_of_file`: rank 0's map by id (-1: not the
  // stage's); empty for ids that are positions already. Rank 0 reads it
  // later (positions_of): it must outlive this object.
  FilePositions(const std::vector<std::int64_t>& position_of_file, int rank, int ranks);

  // Collective: every record's `file` id replaced by its position, and the
  // record sent to the home of that position among `files`.
  template <class Record>
  [[nodiscard]] std::vector<Record> send_home(std::vector<Record> records, std::uint64_t Record::*file,
                                              std::uint64_t files) const {
    if (ids_ > 0) {
      records = send_records(std::move(records), ranks_,
                             [&](const Record& r) { return parallel::block_home(r.*file, ids_, ranks_); });
      for (Record& r : records) r.*file = position(r.*file);
    }
    return send_records(std::move(records), ranks_,
                        [&](const Record& r) { return parallel::block_home(r.*file, files, ranks_); });
  }

  // Collective: the positions of `ids` (the same on every rank).
  [[nodiscard]] std::vector<std::uint64_t> positions_of(std::vector<std::uint64_t> ids) const;

 private:
  // The position of an id of this rank's block (throws for one not the stage's).
  [[nodiscard]] std::uint64_t position(std::uint64_t id) const;

  int rank_ = 0;
  int ranks_ = 1;
  std::uint64_t ids_ = 0;  // 0: ids are positions
  std::uint64_t first_id_ = 0;
  std::vector<std::int64_t> mine_;   // positions of ids [first_id_, first_id_ + mine_.size())
  const std::vector<std::int64_t>* whole_ = nullptr;  // rank 0: the caller's map
};

// Rows of the per-file table that left their homes to be printed: rows[i]
// is the file inputs[i], in input order.
template <class Record>
struct FileRows {
  std::vector<files::InputFile> inputs;
  std::vector<Record> records;
};

// Collective: the rows of this rank's block (`home`, with `records`
// beside its inputs) that `keep(record)` takes, at rank 0 in input order
// (empty elsewhere).
template <class Record, class Keep>
[[nodiscard]] FileRows<Record> gather_rows(const HomeInputs& home, const std::vector<Record>& records, Keep keep) {
  std::vector<files::InputFile> inputs;
  std::vector<Record> kept;
  for (std::size_t i = 0; i < records.size(); ++i)
    if (keep(records[i])) {
      inputs.push_back(home.inputs[i]);
      kept.push_back(records[i]);
    }
  std::vector<char> bytes;
  encode_inputs(inputs, bytes);
  FileRows<Record> rows;
  rows.inputs = decode_inputs(parallel::gather_bytes(bytes, 0));
  rows.records = parallel::gather_records<Record>(kept, 0);
  return rows;
}

}  // namespace juggle::pipeline
