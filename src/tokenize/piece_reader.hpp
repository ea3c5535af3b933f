// Reading one piece of work for the tokenizer: a whole gzip file, a whole
// plain file, a byte range of a large plain file, or a stream (standard
// input) of either kind.
//
// A range [begin, end) of a plain file is widened to split bytes: it starts
// at the first split byte at or after `begin` (at 0 for the first range) and
// stops before the first split byte at or after `end`. Neighbouring ranges
// compute the same boundary, so every byte is read by exactly one range and
// no word is cut or counted twice. A range inside a run without split bytes
// may come out empty: its neighbour takes the run.
#pragma once

#include <cstdint>
#include <string>

#include "gzip/gzip_decoder.hpp"
#include "tokenize/tokenizer.hpp"

namespace juggle::tokenize {

struct PieceSpec {
  std::string path;
  std::uint64_t begin = 0;
  std::uint64_t end = UINT64_MAX;  // nominal; UINT64_MAX: to the end of the file
  bool whole_file = true;          // gzip files are always read whole
};

struct PieceResult {
  bool gzip = false;
  gzip::GzipResult decode;  // status, errno, bytes_in (plain: bytes read); gzip details for .gz
  TokenStats text;          // what the tokenizer saw of this piece
};

// True when the file starts with the gzip magic number; false when it does
// not or cannot be read (the read error surfaces when it is tokenized).
[[nodiscard]] bool file_is_gzip(const std::string& path);

// Tokenizes the piece, adding its words to `cache`'s map (complete on
// return). A thread that tokenizes many pieces keeps one cache for them.
// When the piece is a gzip file, its decoded bytes also go to
// `decoded_also` if given (decoded once for two consumers); a plain piece
// never reaches it.
[[nodiscard]] PieceResult tokenize_piece(const PieceSpec& piece, gzip::GzipWorkspace& workspace,
                                         const TokenizeOptions& options, WordCache& cache,
                                         gzip::OutputSink* decoded_also = nullptr);

// Tokenizes the stream on `fd` (standard input) from where it is to its
// end: gzip when its first two bytes are the gzip magic, else plain text,
// read once, as tokenize_piece reads a whole file.
[[nodiscard]] PieceResult tokenize_stream(int fd, gzip::GzipWorkspace& workspace, const TokenizeOptions& options,
                                          WordCache& cache, gzip::OutputSink* decoded_also = nullptr);

// The same, with a cache of its own for this piece.
[[nodiscard]] PieceResult tokenize_piece(const PieceSpec& piece, gzip::GzipWorkspace& workspace,
                                         const TokenizeOptions& options, WordCounts& counts);

}  // namespace juggle::tokenize
