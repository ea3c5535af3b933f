#include "tokenize/segment_reader.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <vector>

#include "files/unique_fd.hpp"
#include "gzip/bgzf.hpp"
#include "tokenize/text_sink.hpp"

namespace juggle::tokenize {
namespace {

using gzip::ChunkStatus;
using gzip::kToFinalBlock;
using gzip::kWindowSize;

constexpr std::size_t kOutSlice = 128 * 1024;
constexpr std::uint64_t kFirstReach = 64 * 1024;  // compressed bytes read at first past a segment
constexpr std::uint64_t kStoredHeader = 5;

// Appends `bytes` to a window, keeping its last kWindowSize.
void slide(std::vector<std::uint8_t>& window, std::span<const std::uint8_t> bytes) {
  if (bytes.size() >= kWindowSize) {
    window.assign(bytes.end() - kWindowSize, bytes.end());
    return;
  }
  window.insert(window.end(), bytes.begin(), bytes.end());
  if (window.size() > kWindowSize) window.erase(window.begin(), window.end() - kWindowSize);
}

}  // namespace

struct SegmentReader::Impl {
  gzip::ResolvedChunkReader reader;
  std::vector<std::uint8_t> bytes;
  std::vector<std::uint8_t> out = std::vector<std::uint8_t>(kOutSlice);
  std::vector<std::uint8_t> window;

  // The file's bytes [from, to) into `bytes`; false on a read error (errno set).
  bool load(const gzip::ReadAt& read_at, std::uint64_t from, std::uint64_t to) {
    bytes.resize(static_cast<std::size_t>(to - from));
    std::size_t have = 0;
    while (have < bytes.size()) {
      const std::ptrdiff_t n = read_at(from + have, std::span(bytes).subspan(have));
      if (n <= 0) {
        if (n == 0) errno = EIO;  // the file shrank under us
        return false;
      }
      have += static_cast<std::size_t>(n);
    }
    return true;
  }

  // The segment's own bytes, skipped up to the first split byte unless it
  // starts the member; `started` stays false when it holds no split byte.
  gzip::GzipStatus read_own(const gzip::ReadAt& read_at, const SegmentSpec& s, std::uint64_t size, TextSink& sink,
                            bool& started, int& sys_errno) {
    const std::uint64_t from = s.start_bit / 8;
    // A stop before a stored block is checked against that block's LEN and
    // NLEN (chunk_inflate.hpp), which lie up to 5 bytes past it.
    const std::uint64_t to = s.end_bit == kToFinalBlock ? size : std::min(size, (s.end_bit + 7) / 8 + kStoredHeader);
    if (from >= to) return gzip::GzipStatus::bad_data;
    if (!load(read_at, from, to)) {
      sys_errno = errno;
      return gzip::GzipStatus::read_error;
    }
    const std::uint64_t stop = s.end_bit == kToFinalBlock ? kToFinalBlock : s.end_bit - from * 8;
    if (reader.open(bytes, s.start_bit - from * 8, stop, s.window) != ChunkStatus::ok) return gzip::GzipStatus::bad_data;
    window.assign(s.window.begin(), s.window.end());
    started = s.member_start;
    for (;;) {
      std::size_t n = 0;
      const ChunkStatus status = reader.read(out, n);
      if (n == 0) {
        const bool where = s.end_bit == kToFinalBlock ? reader.final_block() : reader.end_bit() == stop;
        return status == ChunkStatus::ok && where ? gzip::GzipStatus::ok : gzip::GzipStatus::bad_data;
      }
      const std::span<const std::uint8_t> got(out.data(), n);
      std::size_t begin = 0;
      if (!started) {
        begin = first_split(got, 0);
        started = begin < n;
      }
      if (begin < n) sink.consume(got.subspan(begin));
      slide(window, got);
    }
  }

  // After the segment: its last word, decoded on with the window its bytes
  // leave until a split byte or the member's end. Starts over with eight
  // times the bytes while the ones read end first.
  gzip::GzipStatus read_on(const gzip::ReadAt& read_at, std::uint64_t end_bit, std::uint64_t size, TextSink& sink,
                           int& sys_errno) {
    const std::uint64_t from = end_bit / 8;
    std::uint64_t done = 0;  // bytes after the segment already given to the sink
    for (std::uint64_t reach = kFirstReach;; reach *= 8) {
      const std::uint64_t to = std::min(size, from + reach);
      if (!load(read_at, from, to)) {
        sys_errno = errno;
        return gzip::GzipStatus::read_error;
      }
      if (reader.open(bytes, end_bit - from * 8, kToFinalBlock, window) != ChunkStatus::ok)
        return gzip::GzipStatus::bad_data;
      std::uint64_t seen = 0;
      for (;;) {
        std::size_t n = 0;
        const ChunkStatus status = reader.read(out, n);
        if (n == 0) {
          if (status == ChunkStatus::ok) return gzip::GzipStatus::ok;  // the member ended inside the word
          if (to < size) break;                                        // read more, start over
          return gzip::GzipStatus::bad_data;
        }
        const std::span<const std::uint8_t> got(out.data(), n);
        const std::size_t skip = seen < done ? static_cast<std::size_t>(std::min<std::uint64_t>(done - seen, n)) : 0;
        seen += n;
        const std::size_t stop = first_split(got, skip);
        sink.consume(got.subspan(skip, stop - skip));
        done += stop - skip;
        if (stop < n) return gzip::GzipStatus::ok;
      }
    }
  }
};

SegmentReader::SegmentReader() : impl_(std::make_unique<Impl>()) {}
SegmentReader::~SegmentReader() = default;

PieceResult SegmentReader::tokenize(const SegmentSpec& segment, const TokenizeOptions& options, WordCache& cache) {
  PieceResult result;
  result.gzip = true;
  gzip::GzipResult& decode = result.decode;
  const files::UniqueFd fd = files::UniqueFd::open_read(segment.path);
  struct stat st {};
  if (fd.get() < 0 || ::fstat(fd.get(), &st) != 0) {
    decode.status = gzip::GzipStatus::read_error;
    decode.sys_errno = errno;
    return result;
  }
  const auto size = static_cast<std::uint64_t>(st.st_size);
  const bool first = segment.member_start;
  const bool last = segment.end_bit == kToFinalBlock;
  decode.bytes_in = (last ? size : segment.end_bit / 8) - (first ? 0 : segment.start_bit / 8);
  const gzip::ReadAt read_at = gzip::pread_at(fd.get());
  Tokenizer tokenizer(options, cache);
  TextSink sink(tokenizer);
  bool started = false;
  decode.status = impl_->read_own(read_at, segment, size, sink, started, decode.sys_errno);
  if (decode.status == gzip::GzipStatus::ok && started && !last)
    decode.status = impl_->read_on(read_at, segment.end_bit, size, sink, decode.sys_errno);
  sink.finish();
  result.text = tokenizer.stats();
  return result;
}

}  // namespace juggle::tokenize
