#include "pipeline/input_pieces.hpp"

#include <algorithm>
#include <array>

#include "files/unique_fd.hpp"
#include "gzip/bgzf.hpp"
#include "gzip/chunk_inflate.hpp"
#include "gzip/gzip_decoder.hpp"
#include "pipeline/input_failure.hpp"
#include "tokenize/piece_reader.hpp"

namespace juggle::pipeline {
namespace {

constexpr std::uint64_t kPerFileWeight = 16 * 1024;
// Every deflate chunk decoded without its window leaves a summary (64 KiB
// and more) on its rank until the stage joins the file (chunk_join.hpp): a
// file that would need more chunks than this is counted whole (a 32 GiB
// file at 8 MiB).
constexpr std::uint64_t kMaxChunksPerFile = 4096;
// A gzip file tokenized whole hands out blocks of its text from this size
// on (compressed): smaller ones are more likely among many files, where
// every worker has files of its own.
constexpr std::uint64_t kSmallestPublisher = 4ull << 20;

// What a file's first bytes say: gzip at all (a file that is not is left
// whole: its piece reports why), and BGZF with its range starts
// (gzip/bgzf.hpp; empty when it makes one range).
struct Layout {
  bool gzip = false;
  std::optional<std::vector<std::uint64_t>> bgzf;
};
Layout file_layout(const files::InputFile& file, std::uint64_t range_bytes) {
  const files::UniqueFd fd = files::UniqueFd::open_read(file.path);
  if (fd.get() < 0) return {};
  const gzip::ReadAt read_at = gzip::pread_at(fd.get());
  std::array<std::uint8_t, gzip::kBgzfHeaderPeek> header{};
  const std::ptrdiff_t n = read_at(0, header);
  if (n <= 0) return {};
  const std::span<const std::uint8_t> first(header.data(), static_cast<std::size_t>(n));
  Layout layout{gzip::has_gzip_magic(first), std::nullopt};
  if (gzip::bgzf_member_size(first)) layout.bgzf = gzip::bgzf_range_starts(read_at, file.size, range_bytes);
  return layout;
}

// A member cut into deflate chunks of `chunk` compressed bytes (the last
// one reads to the end). The head, chunk 0, stays on rank 0 and weighs the
// whole file, so it starts first; the others weigh a chunk each and go out
// last first (piece_queue.hpp), to meet the head where it has got to.
std::vector<Piece> member_chunks(const files::InputFile& file, std::uint64_t id, std::uint8_t actions,
                                 std::uint64_t chunk) {
  std::vector<Piece> pieces;
  for (std::uint64_t begin = 0; begin < file.size; begin += chunk) {
    const bool last = file.size - begin <= chunk;
    const bool head = begin == 0;
    const std::uint8_t flags = kDeflateChunk | kChained | (head ? kStayOnRank : 0);
    const std::uint64_t weight = (head ? file.size : chunk) + kPerFileWeight;
    pieces.push_back({id, begin, last ? UINT64_MAX : begin + chunk, weight, actions, false, file.path, flags});
  }
  return pieces;
}

}  // namespace

ChunkChoice deflate_chunk_bytes(const MemberSplit& split, std::uint64_t size) noexcept {
  constexpr std::uint64_t kSmallest = 4ull << 20, kLargest = 8ull << 20;
  const auto workers = static_cast<std::uint64_t>(std::max(split.workers, 1));
  const std::uint64_t share = size / (8 * workers);
  const std::uint64_t bytes = split.chunk_bytes > 0 ? split.chunk_bytes : std::clamp(share, kSmallest, kLargest);
  const bool within_limit = size / bytes < kMaxChunksPerFile;
  const bool worth_it = split.workers > 1 && share >= std::min(bytes, kSmallest);
  return {bytes, within_limit, worth_it && within_limit};
}

bool tokenize_whole_with_helpers(const MemberSplit& split) noexcept {
  return split.rank_threads >= 2 && split.rank_threads <= 3 && split.workers <= 3;
}

std::string_view split_policy_name(SplitPolicy policy) noexcept {
  switch (policy) {
    case SplitPolicy::never:
      return "never";
    case SplitPolicy::automatic:
      return "auto";
    case SplitPolicy::always:
      return "always";
  }
  return "auto";
}

std::optional<SplitPolicy> parse_split_policy(std::string_view text) noexcept {
  for (const SplitPolicy p : {SplitPolicy::never, SplitPolicy::automatic, SplitPolicy::always})
    if (text == split_policy_name(p)) return p;
  return std::nullopt;
}

bool named_gz(const std::string& path) noexcept {
  return path.size() >= 3 && path.compare(path.size() - 3, 3, ".gz") == 0;
}

std::vector<Piece> pieces_of(const files::InputFile& file, std::uint64_t id, std::uint8_t actions, std::uint64_t chunk,
                             const MemberSplit& split) {
  if (file.standard_input)
    return {Piece{id, 0, UINT64_MAX, kPerFileWeight, actions, true, file.path, kStandardInput | kStayOnRank}};
  const bool always = split.policy == SplitPolicy::always;
  const ChunkChoice chunk_choice = deflate_chunk_bytes(split, file.size);
  const bool helped = actions == kTokenize && tokenize_whole_with_helpers(split);
  const bool chunked = (always ? chunk_choice.possible : chunk_choice.automatic && !helped) &&
                       file.size > chunk_choice.bytes && gzip::chunk_decoding_available();
  const std::uint64_t smallest = always ? 0 : 2 * split.range_bytes;
  const bool count_only = actions == kCount;
  const bool one_stage = count_only || actions == kTokenize;
  if (one_stage && split.policy != SplitPolicy::never && ((count_only && file.size >= smallest) || chunked)) {
    const Layout layout = file_layout(file, split.range_bytes);
    if (layout.gzip && !layout.bgzf && chunked) return member_chunks(file, id, actions, chunk_choice.bytes);
    // BGZF ranges are for counting: a word may run across members.
    const std::vector<std::uint64_t> starts =
        count_only ? layout.bgzf.value_or(std::vector<std::uint64_t>{}) : std::vector<std::uint64_t>{};
    std::vector<Piece> pieces;
    for (std::size_t i = 0; i < starts.size(); ++i) {
      const bool last = i + 1 == starts.size();
      const std::uint64_t end = last ? UINT64_MAX : starts[i + 1];  // the last range reads to the end, as gzip
      const std::uint64_t bytes = (last ? file.size : end) - starts[i];
      pieces.push_back({id, starts[i], end, bytes + kPerFileWeight, actions, false, file.path});
    }
    if (!pieces.empty()) return pieces;
  }
  const bool tokenize_only = actions == kTokenize;
  // Only a large file that may be cut needs its first bytes read here.
  const bool gzip = tokenize_only && file.size > chunk ? tokenize::file_is_gzip(file.path) : named_gz(file.path);
  if (!tokenize_only || gzip || file.size <= chunk) {
    const std::uint64_t work = (actions & kTokenize) && gzip ? file.size * kGzipTextFactor : file.size;
    const bool publishes = tokenize_only && gzip && split.rank_threads >= 2 && split.policy != SplitPolicy::never &&
                           file.size >= kSmallestPublisher;
    return {Piece{id, 0, UINT64_MAX, work + kPerFileWeight, actions, true, file.path,
                  publishes ? std::uint8_t{kPublishes} : std::uint8_t{0}}};
  }
  std::vector<Piece> pieces;
  for (std::uint64_t begin = 0; begin < file.size; begin += chunk) {
    const std::uint64_t end = file.size - begin > chunk ? begin + chunk : file.size;
    pieces.push_back({id, begin, end, end - begin + kPerFileWeight, actions, false, file.path});
  }
  return pieces;
}

Source walk_source(const WalkSettings& settings, WalkedInputs& walked, const results::Clock& clock) {
  return [settings, &walked, &clock](const Emit& emit) {
    walked.started = clock.now();
    files::walk_inputs(settings.roots, settings.include, [&](files::InputFile file) {
      const std::uint64_t id = walked.files.size();
      if (!file.problem.empty() && settings.strict) stop_job_for_input(file.path, file.problem);
      walked.files.push_back(file);
      if (file.problem.empty()) emit(pieces_of(file, id, settings.actions, settings.chunk, settings.split));
    });
    walked.finished = clock.now();
  };
}

}  // namespace juggle::pipeline
