// A piece: the unit of work the engine moves between ranks and threads.
//
// A piece is a whole file (every gzip file, small plain files, a file that
// has just been downloaded), a byte range of a large plain file, a range of
// whole members of a BGZF file, or a chunk of one gzip member's deflate
// stream (count/member_chunks.hpp), or such a chunk's segment to decode
// again with its window once the join has resolved it. It
// carries its path, so a rank needs no file list of its own, and a file id
// that maps to the file's place in each stage's input order (file_homes.hpp):
// ids are handed out in discovery order, which may differ between runs
// (downloads land in any order); results are put in input order by the
// stage, never by id or by finishing order.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace juggle::pipeline {

// What a piece is for; a piece may be for several stages (decoded once).
enum PieceAction : std::uint8_t {
  kCount = 1,     // count the lines of the whole file
  kTokenize = 2,  // tokenize the piece's bytes
};

// How a piece is cut and moved (bits).
enum PieceFlag : std::uint8_t {
  kDeflateChunk = 1,  // [begin, end) are the nominal bytes of a deflate chunk of the file's first member
  // The thread that finishes this piece takes next the piece of the same
  // file that begins at this one's end, if its rank still holds it: a chunk
  // decoded with the true window makes the next one cheap.
  kChained = 2,
  // Never sent to another rank: the head of a chain (where most chain
  // links are queued), a text block, a rank's own pieces (engine.hpp).
  kStayOnRank = 4,
  // [begin, end) are file *bits*: a segment of the first member's deflate
  // stream (count/member_chunks.hpp's MemberSegment; end UINT64_MAX:
  // through the final block), to decode again with `window`.
  kResolvedSegment = 8,
  // Its worker may queue kTextBlock pieces on its rank while it processes
  // it (engine.hpp): the rank's other workers wait for them until it is done.
  kPublishes = 16,
  // Decoded text queued by the worker of a kPublishes piece, for any worker
  // of the same rank; `begin` names it to the stage (with kStayOnRank).
  kTextBlock = 32,
  kMemberStart = 64,  // with kResolvedSegment: the member's first segment
  // Standard input, read once as one stream by the rank that has it: rank
  // 0, where mpirun connects it (with kStayOnRank).
  kStandardInput = 128,
};

struct Piece {
  std::uint64_t file = 0;     // rank 0's id of the file
  std::uint64_t begin = 0;    // byte range; a whole file is [0, UINT64_MAX)
  std::uint64_t end = UINT64_MAX;
  std::uint64_t weight = 0;   // expected cost, in bytes of work
  std::uint8_t actions = 0;   // PieceAction bits
  bool whole_file = true;
  std::string path;
  std::uint8_t flags = 0;  // PieceFlag bits
  std::vector<std::uint8_t> window{};  // kResolvedSegment: the member's last 32 KiB before it (empty at its start)
};

// Pieces as bytes for a message, and back. decode_pieces returns nothing
// for bytes that are not such an encoding.
[[nodiscard]] std::vector<char> encode_pieces(std::span<const Piece> pieces);
[[nodiscard]] std::optional<std::vector<Piece>> decode_pieces(std::span<const char> bytes);

}  // namespace juggle::pipeline
