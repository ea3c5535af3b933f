#include "tokenize/piece_reader.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "files/unique_fd.hpp"
#include "gzip/tee_sink.hpp"
#include "tokenize/text_sink.hpp"

namespace juggle::tokenize {
namespace {

ssize_t pread_full(int fd, std::uint8_t* buffer, std::size_t size, std::uint64_t offset) {
  for (;;) {
    const ssize_t n = ::pread(fd, buffer, size, static_cast<off_t>(offset));
    if (n >= 0 || errno != EINTR) return n;
  }
}

// Plain text is read in slices much smaller than an L2, so the text just read
// does not push the word cache's sets out of it.
constexpr std::size_t kPlainRead = 64 * 1024;

// Plain text in [begin, end) widened to split bytes, streamed through the
// workspace's input buffer into the sink.
gzip::GzipStatus read_plain_range(int fd, const PieceSpec& piece, std::span<std::uint8_t> buffer, TextSink& sink,
                                  gzip::GzipResult& result) {
  std::uint64_t pos = piece.begin;
  bool started = piece.begin == 0;
  for (;;) {
    const ssize_t got = pread_full(fd, buffer.data(), std::min(buffer.size(), kPlainRead), pos);
    if (got < 0) {
      result.sys_errno = errno;
      return gzip::GzipStatus::read_error;
    }
    if (got == 0) return gzip::GzipStatus::ok;
    const auto n = static_cast<std::size_t>(got);
    result.bytes_in += n;
    std::size_t from = 0;
    if (!started) {
      from = first_split({buffer.data(), n}, 0);
      if (from == n) {  // no split byte yet: this run belongs to the previous range
        pos += n;
        continue;
      }
      started = true;
    }
    if (pos + n > piece.end) {
      const std::size_t scan = static_cast<std::size_t>(std::max<std::uint64_t>(piece.end, pos + from) - pos);
      const std::size_t stop = first_split({buffer.data(), n}, scan);
      sink.consume({buffer.data() + from, stop - from});
      if (stop < n) return gzip::GzipStatus::ok;
    } else {
      sink.consume({buffer.data() + from, n - from});
    }
    pos += n;
  }
}

// Decodes `source` into `sink`, and into `decoded_also` too when given.
gzip::GzipResult decode_into(gzip::ByteSource& source, gzip::GzipWorkspace& workspace, TextSink& sink,
                             gzip::OutputSink* decoded_also) {
  if (!decoded_also) return gzip::decode_gzip(source, workspace, sink);
  gzip::TeeSink both(*decoded_also, sink);
  return gzip::decode_gzip(source, workspace, both);
}

// Plain text from `source` to its end into the sink.
gzip::GzipStatus read_plain_stream(gzip::ByteSource& source, std::span<std::uint8_t> buffer, TextSink& sink,
                                   gzip::GzipResult& result) {
  for (;;) {
    const std::ptrdiff_t got = source.read(buffer.first(std::min(buffer.size(), kPlainRead)));
    if (got < 0) {
      result.sys_errno = source.error();
      return gzip::GzipStatus::read_error;
    }
    if (got == 0) return gzip::GzipStatus::ok;
    result.bytes_in += static_cast<std::uint64_t>(got);
    sink.consume({buffer.data(), static_cast<std::size_t>(got)});
  }
}

}  // namespace

bool file_is_gzip(const std::string& path) {
  const files::UniqueFd fd = files::UniqueFd::open_read(path);
  std::uint8_t magic[2] = {};
  return fd.get() >= 0 && pread_full(fd.get(), magic, 2, 0) == 2 && gzip::has_gzip_magic(magic);
}

PieceResult tokenize_piece(const PieceSpec& piece, gzip::GzipWorkspace& workspace, const TokenizeOptions& options,
                           WordCounts& counts) {
  WordCache cache(counts);
  return tokenize_piece(piece, workspace, options, cache);
}

PieceResult tokenize_piece(const PieceSpec& piece, gzip::GzipWorkspace& workspace, const TokenizeOptions& options,
                           WordCache& cache, gzip::OutputSink* decoded_also) {
  PieceResult result;
  Tokenizer tokenizer(options, cache);
  TextSink sink(tokenizer);
  const files::UniqueFd fd = files::UniqueFd::open_read(piece.path);
  if (fd.get() < 0) {
    result.decode.status = gzip::GzipStatus::read_error;
    result.decode.sys_errno = errno;
    return result;
  }
  std::uint8_t magic[2] = {};
  result.gzip = piece.whole_file && pread_full(fd.get(), magic, 2, 0) == 2 && gzip::has_gzip_magic(magic);
  if (result.gzip) {
    gzip::FileSource source(piece.path);
    result.decode = decode_into(source, workspace, sink, decoded_also);
  } else {
    PieceSpec range = piece;
    if (piece.whole_file) range.end = UINT64_MAX;
    result.decode.status = read_plain_range(fd.get(), range, workspace.input_buffer(), sink, result.decode);
  }
  sink.finish();
  result.text = tokenizer.stats();
  return result;
}

PieceResult tokenize_stream(int fd, gzip::GzipWorkspace& workspace, const TokenizeOptions& options, WordCache& cache,
                            gzip::OutputSink* decoded_also) {
  PieceResult result;
  Tokenizer tokenizer(options, cache);
  TextSink sink(tokenizer);
  std::uint8_t magic[2] = {};
  const std::ptrdiff_t got = gzip::read_up_to(fd, magic);
  if (got < 0) {
    result.decode.status = gzip::GzipStatus::read_error;
    result.decode.sys_errno = errno;
    return result;
  }
  const std::span<const std::uint8_t> first(magic, static_cast<std::size_t>(got));
  gzip::StreamSource source(fd, first);
  result.gzip = gzip::has_gzip_magic(first);
  if (result.gzip)
    result.decode = decode_into(source, workspace, sink, decoded_also);
  else
    result.decode.status = read_plain_stream(source, workspace.input_buffer(), sink, result.decode);
  sink.finish();
  result.text = tokenizer.stats();
  return result;
}

}  // namespace juggle::tokenize
