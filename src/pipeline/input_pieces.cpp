#include "pipeline/input_pieces.hpp"

#include <unistd.h>

#include "files/unique_fd.hpp"
#include "gzip/bgzf.hpp"
#include "pipeline/input_failure.hpp"
#include "tokenize/piece_reader.hpp"

namespace juggle::pipeline {
namespace {

constexpr std::uint64_t kPerFileWeight = 16 * 1024;
constexpr std::uint64_t kGzipTextFactor = 3;

// Range starts of a BGZF file (gzip/bgzf.hpp); empty for any other file,
// or one that cannot be read (its piece then reports why).
std::vector<std::uint64_t> member_ranges(const files::InputFile& file, std::uint64_t range_bytes) {
  const files::UniqueFd fd = files::UniqueFd::open_read(file.path);
  if (fd.get() < 0) return {};
  const gzip::ReadAt read_at = [&](std::uint64_t offset, std::span<std::uint8_t> dst) -> std::ptrdiff_t {
    return ::pread(fd.get(), dst.data(), dst.size(), static_cast<off_t>(offset));
  };
  return gzip::bgzf_range_starts(read_at, file.size, range_bytes);
}

}  // namespace

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
  const std::uint64_t smallest = split.policy == SplitPolicy::always ? 0 : 2 * split.range_bytes;
  if (actions == kCount && split.policy != SplitPolicy::never && file.size >= smallest) {
    const std::vector<std::uint64_t> starts = member_ranges(file, split.range_bytes);
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
    return {Piece{id, 0, UINT64_MAX, work + kPerFileWeight, actions, true, file.path}};
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
      if (file.problem.empty())
        for (Piece& p : pieces_of(file, id, settings.actions, settings.chunk, settings.split)) emit(std::move(p));
    });
    walked.finished = clock.now();
  };
}

}  // namespace juggle::pipeline
