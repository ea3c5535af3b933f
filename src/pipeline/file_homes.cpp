#include "pipeline/file_homes.hpp"

#include <stdexcept>
#include <string>

#include "parallel/wire.hpp"

namespace juggle::pipeline {
namespace {

using parallel::wire::get_text;
using parallel::wire::put_text;

// Rank 0's `items` (ignored elsewhere) in blocks, each sent to its rank;
// `encode(first, count, out)` writes the block [first, first + count).
template <class Encode>
std::vector<char> scatter_blocks(std::uint64_t items, int rank, int ranks, Encode encode) {
  std::vector<std::vector<char>> out(static_cast<std::size_t>(ranks));
  if (rank == 0)
    for (int r = 0; r < ranks; ++r) {
      const parallel::Block b = parallel::block_of(items, ranks, r);
      encode(b.first, b.count, out[static_cast<std::size_t>(r)]);
    }
  return parallel::exchange_bytes(out);
}

}  // namespace

void encode_inputs(std::span<const files::InputFile> inputs, std::vector<char>& out) {
  for (const files::InputFile& f : inputs) {
    put_text(out, f.path);
    parallel::wire::put(out, f.size);
    put_text(out, f.problem);
    parallel::wire::put<std::uint8_t>(out, f.standard_input ? 1 : 0);
  }
}

std::vector<files::InputFile> decode_inputs(std::span<const char> bytes) {
  std::vector<files::InputFile> inputs;
  while (!bytes.empty()) {
    files::InputFile f;
    std::uint8_t standard_input = 0;
    if (!get_text(bytes, f.path) || !parallel::wire::get(bytes, f.size) || !get_text(bytes, f.problem) ||
        !parallel::wire::get(bytes, standard_input))
      throw std::runtime_error("a list of inputs cut short in a message");
    f.standard_input = standard_input != 0;
    inputs.push_back(std::move(f));
  }
  return inputs;
}

HomeInputs scatter_inputs(const std::vector<files::InputFile>& inputs, int rank, int ranks) {
  HomeInputs home;
  std::vector<std::uint64_t> total{rank == 0 ? inputs.size() : 0};
  parallel::broadcast_records(total, 0);
  home.total = total.at(0);
  home.first = parallel::block_of(home.total, ranks, rank).first;
  home.inputs = decode_inputs(scatter_blocks(home.total, rank, ranks, [&](std::uint64_t first, std::uint64_t count, std::vector<char>& out) {
    encode_inputs(std::span(inputs).subspan(first, count), out);
  }));
  return home;
}

FilePositions::FilePositions(const std::vector<std::int64_t>& position_of_file, int rank, int ranks)
    : rank_(rank), ranks_(ranks) {
  std::vector<std::uint64_t> ids{rank == 0 ? position_of_file.size() : 0};
  parallel::broadcast_records(ids, 0);
  ids_ = ids.at(0);
  if (ids_ == 0) return;
  if (rank == 0) whole_ = &position_of_file;
  first_id_ = parallel::block_of(ids_, ranks, rank).first;
  const std::vector<char> bytes =
      scatter_blocks(ids_, rank, ranks, [&](std::uint64_t first, std::uint64_t count, std::vector<char>& out) {
        const auto* from = reinterpret_cast<const char*>(position_of_file.data() + first);
        out.insert(out.end(), from, from + count * sizeof(std::int64_t));
      });
  mine_.resize(bytes.size() / sizeof(std::int64_t));
  if (!mine_.empty()) std::memcpy(mine_.data(), bytes.data(), mine_.size() * sizeof(std::int64_t));
}

std::uint64_t FilePositions::position(std::uint64_t id) const {
  if (id < first_id_ || id - first_id_ >= mine_.size() || mine_[id - first_id_] < 0)
    throw std::logic_error("file id " + std::to_string(id) + " is not one of this stage's files");
  return static_cast<std::uint64_t>(mine_[id - first_id_]);
}

std::vector<std::uint64_t> FilePositions::positions_of(std::vector<std::uint64_t> ids) const {
  if (ids_ == 0) return ids;
  if (rank_ == 0)
    for (std::uint64_t& id : ids) {
      if (id >= whole_->size() || (*whole_)[id] < 0)
        throw std::logic_error("file id " + std::to_string(id) + " is not one of this stage's files");
      id = static_cast<std::uint64_t>((*whole_)[id]);
    }
  parallel::broadcast_records(ids, 0);
  return ids;
}

}  // namespace juggle::pipeline
