// Turning input files into pieces (engine.hpp), and the source that walks
// the paths a user names (files/walk.hpp) and hands out each file's pieces
// as soon as the walk finds it.
//
// A file is one piece, except a plain file larger than `chunk` that is only
// tokenized: it is cut into byte ranges of `chunk` bytes, which the piece
// reader widens to split bytes (tokenize/piece_reader.hpp). A piece's weight
// is its expected cost in bytes of work: decompressed gzip text is about 3
// times its size on disk, and every file costs an open (16 KiB's worth).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "files/walk.hpp"
#include "pipeline/engine.hpp"

namespace juggle::pipeline {

// True for a name ending in ".gz" (a guess at gzip data where reading the
// first bytes would cost an open).
[[nodiscard]] bool named_gz(const std::string& path) noexcept;

// The pieces of `file` (no problem) for `actions`, with file id `id`.
[[nodiscard]] std::vector<Piece> pieces_of(const files::InputFile& file, std::uint64_t id, std::uint8_t actions,
                                           std::uint64_t chunk);

// What a walk found, in walk order (ids are positions here), and when it ran.
struct WalkedInputs {
  std::vector<files::InputFile> files;
  double started = 0, finished = 0;
};

struct WalkSettings {
  std::vector<std::string> roots;
  std::vector<std::string> include;
  std::uint8_t actions = 0;
  std::uint64_t chunk = UINT64_MAX;
  bool strict = false;  // a path the walk cannot use stops the job (input_failure.hpp)
};

// A source that walks `settings.roots` and emits each file's pieces as it is
// found. `walked` is filled on the source's thread: read it only after the
// engine has returned. Both must outlive the engine run.
[[nodiscard]] Source walk_source(const WalkSettings& settings, WalkedInputs& walked, const results::Clock& clock);

}  // namespace juggle::pipeline
