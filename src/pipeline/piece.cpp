#include "pipeline/piece.hpp"

#include "parallel/wire.hpp"

namespace juggle::pipeline {
using parallel::wire::get;
using parallel::wire::put;

std::vector<char> encode_pieces(std::span<const Piece> pieces) {
  std::vector<char> out;
  put<std::uint64_t>(out, pieces.size());
  for (const Piece& p : pieces) {
    put(out, p.file);
    put(out, p.begin);
    put(out, p.end);
    put(out, p.weight);
    put(out, p.actions);
    put<std::uint8_t>(out, p.whole_file ? 1 : 0);
    put(out, p.flags);
    parallel::wire::put_text(out, p.path);
    parallel::wire::put_vector(out, p.window);
  }
  return out;
}

std::optional<std::vector<Piece>> decode_pieces(std::span<const char> in) {
  std::uint64_t n = 0;
  if (!get(in, n) || n > in.size()) return std::nullopt;
  std::vector<Piece> pieces(n);
  for (Piece& p : pieces) {
    std::uint8_t whole = 0;
    if (!get(in, p.file) || !get(in, p.begin) || !get(in, p.end) || !get(in, p.weight) || !get(in, p.actions) ||
        !get(in, whole) || whole > 1 || !get(in, p.flags) || !parallel::wire::get_text(in, p.path))
      return std::nullopt;
    p.whole_file = whole == 1;
    if (!parallel::wire::get_vector(in, p.window)) return std::nullopt;
  }
  if (!in.empty()) return std::nullopt;
  return pieces;
}

}  // namespace juggle::pipeline
