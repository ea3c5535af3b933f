#include "gzip/gzip_decoder.hpp"

#include <zlib.h>

#include <algorithm>
#include <array>


namespace juggle::gzip {
namespace {

// RFC 1952 header flag bits.
constexpr std::uint8_t kFlagHcrc = 0x02;
constexpr std::uint8_t kFlagExtra = 0x04;
constexpr std::uint8_t kFlagName = 0x08;
constexpr std::uint8_t kFlagComment = 0x10;
constexpr std::uint8_t kFlagReserved = 0xE0;

// Pulls bytes from a source through the workspace's input buffer, keeps the
// running total of bytes read, and can take back bytes a decoder read past
// the end of its stream (served again before the buffer continues).
class InputCursor {
 public:
  InputCursor(ByteSource& source, std::span<std::uint8_t> buffer) : source_(source), buffer_(buffer) {}

  // Makes at least one unread byte available; false at end of input or on a
  // read error (then failed() is true).
  bool fill() {
    if (carry_pos_ < carry_.size() || pos_ < end_) return true;
    if (eof_) return false;
    const std::ptrdiff_t n = source_.read(buffer_);
    if (n <= 0) {
      eof_ = true;
      failed_ = n < 0;
      return false;
    }
    pos_ = 0;
    end_ = static_cast<std::size_t>(n);
    total_ += end_;
    return true;
  }

  bool next(std::uint8_t& byte) {
    if (!fill()) return false;
    byte = *data();
    advance(1);
    return true;
  }

  [[nodiscard]] const std::uint8_t* data() const noexcept {
    return carrying() ? carry_.data() + carry_pos_ : buffer_.data() + pos_;
  }
  [[nodiscard]] std::size_t available() const noexcept {
    return carrying() ? carry_.size() - carry_pos_ : end_ - pos_;
  }
  void advance(std::size_t n) noexcept {
    if (!carrying()) {
      pos_ += n;
      return;
    }
    carry_pos_ += n;
    if (carry_pos_ == carry_.size()) {
      carry_.clear();
      carry_pos_ = 0;
    }
  }

  // `bytes` are the last bytes consumed; make them the next ones again.
  void unread(std::span<const std::uint8_t> bytes) {
    if (bytes.empty()) return;
    if (!carrying() && pos_ >= bytes.size()) {
      pos_ -= bytes.size();  // still in the buffer, just step back
      return;
    }
    // They straddle a refill: keep a copy, ahead of what is left unread.
    std::vector<std::uint8_t> again(bytes.begin(), bytes.end());
    again.insert(again.end(), carry_.begin() + static_cast<std::ptrdiff_t>(carry_pos_), carry_.end());
    carry_ = std::move(again);
    carry_pos_ = 0;
  }

  [[nodiscard]] bool failed() const noexcept { return failed_; }
  [[nodiscard]] int error() const noexcept { return source_.error(); }
  [[nodiscard]] std::uint64_t total_read() const noexcept { return total_; }

  // Offset in the input of the next unread byte.
  [[nodiscard]] std::uint64_t position() const noexcept {
    return total_ - (end_ - pos_) - (carry_.size() - carry_pos_);
  }

  // Continues at input offset `offset`, if the source can go back.
  bool restart_at(std::uint64_t offset) {
    if (!source_.seek(offset)) return false;
    pos_ = end_ = carry_pos_ = 0;
    carry_.clear();
    total_ = offset;
    eof_ = failed_ = false;
    return true;
  }

 private:
  [[nodiscard]] bool carrying() const noexcept { return carry_pos_ < carry_.size(); }

  ByteSource& source_;
  std::span<std::uint8_t> buffer_;
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  std::vector<std::uint8_t> carry_;
  std::size_t carry_pos_ = 0;
  std::uint64_t total_ = 0;
  bool eof_ = false;
  bool failed_ = false;
};

// Status for running out of input: a read error, or a truncated file.
GzipStatus out_of_input(const InputCursor& in) {
  return in.failed() ? GzipStatus::read_error : GzipStatus::truncated;
}

// Reads a header field of fixed length, folding it into the header CRC.
bool take(InputCursor& in, std::size_t n, std::uint32_t& header_crc) {
  for (std::size_t i = 0; i < n; ++i) {
    std::uint8_t b = 0;
    if (!in.next(b)) return false;
    header_crc = static_cast<std::uint32_t>(crc32(header_crc, &b, 1));
  }
  return true;
}

// Reads a zero-terminated header field (file name, comment).
bool take_zstring(InputCursor& in, std::uint32_t& header_crc) {
  for (;;) {
    std::uint8_t b = 0;
    if (!in.next(b)) return false;
    header_crc = static_cast<std::uint32_t>(crc32(header_crc, &b, 1));
    if (b == 0) return true;
  }
}

// Parses the rest of a member header after the two magic bytes.
GzipStatus read_header_tail(InputCursor& in) {
  const std::uint8_t magic[2] = {0x1f, 0x8b};
  auto header_crc = static_cast<std::uint32_t>(crc32(0L, magic, 2));
  std::uint8_t method = 0;
  std::uint8_t flags = 0;
  if (!in.next(method)) return out_of_input(in);
  if (method != 8) return GzipStatus::unknown_method;
  if (!in.next(flags)) return out_of_input(in);
  header_crc = static_cast<std::uint32_t>(crc32(header_crc, &method, 1));
  header_crc = static_cast<std::uint32_t>(crc32(header_crc, &flags, 1));
  if (flags & kFlagReserved) return GzipStatus::bad_header;
  if (!take(in, 6, header_crc)) return out_of_input(in);  // MTIME, XFL, OS
  if (flags & kFlagExtra) {
    std::uint8_t lo = 0;
    std::uint8_t hi = 0;
    if (!in.next(lo) || !in.next(hi)) return out_of_input(in);
    header_crc = static_cast<std::uint32_t>(crc32(header_crc, &lo, 1));
    header_crc = static_cast<std::uint32_t>(crc32(header_crc, &hi, 1));
    if (!take(in, static_cast<std::size_t>(lo | (hi << 8)), header_crc)) return out_of_input(in);
  }
  if ((flags & kFlagName) && !take_zstring(in, header_crc)) return out_of_input(in);
  if ((flags & kFlagComment) && !take_zstring(in, header_crc)) return out_of_input(in);
  if (flags & kFlagHcrc) {
    std::uint8_t lo = 0;
    std::uint8_t hi = 0;
    if (!in.next(lo) || !in.next(hi)) return out_of_input(in);
    if (static_cast<std::uint32_t>(lo | (hi << 8)) != (header_crc & 0xFFFFu)) return GzipStatus::bad_header;
  }
  return GzipStatus::ok;
}

// Reads a little-endian 32-bit trailer word.
bool read_le32(InputCursor& in, std::uint32_t& value) {
  value = 0;
  for (int i = 0; i < 4; ++i) {
    std::uint8_t b = 0;
    if (!in.next(b)) return false;
    value |= static_cast<std::uint32_t>(b) << (8 * i);
  }
  return true;
}

// Consumes everything after the last member; true if any byte is non-zero.
bool drain_trailing(InputCursor& in, std::uint64_t& count) {
  bool nonzero = false;
  while (in.fill()) {
    const std::uint8_t* p = in.data();
    const std::size_t n = in.available();
    nonzero = nonzero || std::any_of(p, p + n, [](std::uint8_t b) { return b != 0; });
    count += n;
    in.advance(n);
  }
  return nonzero;
}

// Decodes one member's deflate data into `sink` (none: output discarded)
// and checks its trailer. Returns ok or why the member failed; `produced`
// counts the bytes decoded, also when it failed.
GzipStatus decode_member(InputCursor& in, RawInflater& inflater, std::span<std::uint8_t> out, OutputSink* sink,
                         std::uint64_t& produced) {
  inflater.reset();
  for (;;) {
    if (in.available() == 0 && !in.fill()) return out_of_input(in);
    const InflateStep step = inflater.inflate(in.data(), in.available(), out.data(), out.size());
    in.advance(step.consumed);
    if (step.produced > 0) {
      produced += step.produced;
      if (sink) sink->consume({out.data(), step.produced});
    }
    if (step.result == InflateResult::stream_end) {
      in.unread(inflater.overread());
      break;
    }
    if (step.result == InflateResult::bad_data) return GzipStatus::bad_data;
    // A decoder that neither consumed available input nor produced output
    // would loop forever: treat that as corrupt data rather than hang.
    if (step.consumed == 0 && step.produced == 0 && in.available() > 0) return GzipStatus::bad_data;
  }
  std::uint32_t stored_crc = 0;
  std::uint32_t stored_size = 0;
  if (!read_le32(in, stored_crc) || !read_le32(in, stored_size)) return out_of_input(in);
  if (stored_crc != inflater.crc32()) return GzipStatus::crc_mismatch;
  if (stored_size != static_cast<std::uint32_t>(produced)) return GzipStatus::length_mismatch;
  return GzipStatus::ok;
}

// ISA-L and zlib disagree about some damaged streams (tests/fuzz has
// inputs of each kind): from the bits it reads ahead ISA-L calls a dynamic block header cut by the
// end of the file "invalid" where zlib and gzip say "unexpected end of
// file"; it reads on to the end of a stream zlib rejects at its 4th byte
// ("invalid distance too far back"); it decodes a few bytes from a stream
// zlib finds invalid, which then fails its CRC. A file's status must not
// depend on the backend, so when ISA-L fails a member, zlib decodes that
// member again from its first deflate byte, output discarded (the sink
// already has what ISA-L produced), and its verdict is the file's. Only a
// failing file pays (zlib re-reads the failed member at ~0.4 GB/s), and
// only if its source can go back: files and buffers can; a pipe keeps
// ISA-L's verdict (`isal_status`), as does a member zlib finds whole.
GzipStatus zlib_verdict(InputCursor& in, std::uint64_t member_start, RawInflater& zlib, std::span<std::uint8_t> out,
                        GzipStatus isal_status) {
  if (!in.restart_at(member_start)) return isal_status;
  std::uint64_t produced = 0;
  const GzipStatus status = decode_member(in, zlib, out, nullptr, produced);
  return status == GzipStatus::ok ? isal_status : status;
}

}  // namespace

GzipWorkspace::GzipWorkspace(InflateBackend backend, std::size_t in_size, std::size_t out_size)
    : backend_(backend), inflater_(make_inflater(backend)), in_(std::max<std::size_t>(in_size, 1)),
      out_(std::max<std::size_t>(out_size, 1)) {}

GzipResult decode_gzip(ByteSource& source, GzipWorkspace& ws, OutputSink& sink, StreamStart start) {
  GzipResult result;
  InputCursor in(source, ws.in_);
  RawInflater& inflater = *ws.inflater_;

  auto finish = [&](GzipStatus status) {
    result.status = status;
    if (status == GzipStatus::read_error) result.sys_errno = in.error();
    result.bytes_in = in.total_read();
    return result;
  };

  for (bool first = start == StreamStart::file;; first = false) {
    // Member boundary: the end of input is fine after at least one member.
    std::uint8_t id1 = 0;
    if (!in.next(id1)) {
      if (in.failed()) return finish(GzipStatus::read_error);
      return finish(first ? GzipStatus::truncated : GzipStatus::ok);  // gzip: an empty file is truncated
    }
    std::uint8_t id2 = 0;
    const bool have_id2 = in.next(id2);
    if (in.failed()) return finish(GzipStatus::read_error);
    if (first) {
      if (id1 != 0x1f || (have_id2 && id2 != 0x8b)) return finish(GzipStatus::not_gzip);
      if (!have_id2) return finish(GzipStatus::truncated);
    } else if (!have_id2 && id1 != 0) {
      // gzip reads a non-zero byte after a member as the first of a magic
      // number and meets the end reading the second: "unexpected end of
      // file" (exit 1), where two or more bytes are trailing garbage.
      return finish(GzipStatus::truncated);
    } else if (!have_id2 || id1 != 0x1f || id2 != 0x8b) {
      result.trailing_bytes = have_id2 ? 2 : 1;
      const bool nonzero = id1 != 0 || (have_id2 && id2 != 0);
      result.trailing_garbage = drain_trailing(in, result.trailing_bytes) || nonzero;
      return finish(in.failed() ? GzipStatus::read_error : GzipStatus::ok);
    }
    if (const GzipStatus h = read_header_tail(in); h != GzipStatus::ok) return finish(h);

    const std::uint64_t member_start = in.position();
    std::uint64_t member_out = 0;
    GzipStatus status = decode_member(in, inflater, ws.out_, &sink, member_out);
    result.bytes_out += member_out;
    if (status != GzipStatus::ok) {
      if (ws.backend_ == InflateBackend::isal && status != GzipStatus::read_error) {
        if (!ws.referee_) ws.referee_ = make_zlib_inflater();
        status = zlib_verdict(in, member_start, *ws.referee_, ws.out_, status);
      }
      return finish(status);
    }
    const std::uint32_t member_crc = inflater.crc32();
    // combine(0, c, n) is c: the first member (nearly every file) needs no combining.
    result.crc32 = first ? member_crc
                         : static_cast<std::uint32_t>(
                               crc32_combine64(result.crc32, member_crc, static_cast<z_off64_t>(member_out)));
    ++result.members;
  }
}

GzipStatus member_header_size(std::span<const std::uint8_t> data, std::size_t& length) {
  if (data.size() < 2) return GzipStatus::truncated;
  if (data[0] != 0x1f || data[1] != 0x8b) return GzipStatus::not_gzip;
  MemorySource source(data.subspan(2));
  std::array<std::uint8_t, 4096> buffer{};
  InputCursor in(source, buffer);
  const GzipStatus status = read_header_tail(in);
  if (status == GzipStatus::ok) length = 2 + in.position();
  return status;
}

bool has_gzip_magic(std::span<const std::uint8_t> prefix) noexcept {
  return prefix.size() >= 2 && prefix[0] == 0x1f && prefix[1] == 0x8b;
}

}  // namespace juggle::gzip
