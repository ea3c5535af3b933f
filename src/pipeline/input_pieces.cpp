#include "pipeline/input_pieces.hpp"

#include "pipeline/input_failure.hpp"
#include "tokenize/piece_reader.hpp"

namespace juggle::pipeline {
namespace {

constexpr std::uint64_t kPerFileWeight = 16 * 1024;
constexpr std::uint64_t kGzipTextFactor = 3;

}  // namespace

bool named_gz(const std::string& path) noexcept {
  return path.size() >= 3 && path.compare(path.size() - 3, 3, ".gz") == 0;
}

std::vector<Piece> pieces_of(const files::InputFile& file, std::uint64_t id, std::uint8_t actions,
                             std::uint64_t chunk) {
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
        for (Piece& p : pieces_of(file, id, settings.actions, settings.chunk)) emit(std::move(p));
    });
    walked.finished = clock.now();
  };
}

}  // namespace juggle::pipeline
