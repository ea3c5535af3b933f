// Raw deflate decoders behind one small interface.
//
// The gzip framing (headers, trailers, members) lives once, in the line
// counter; a backend only turns a raw deflate stream into bytes and keeps the
// CRC-32 of what it produced. That is why the zlib and ISA-L paths report the
// same status for the same file: they share every decision but the decoding.
// ISA-L fuses the CRC into its output copy (~2.7x zlib's speed here); zlib is
// the reference and the fallback that every build has.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

namespace juggle::gzip {

enum class InflateBackend : std::uint8_t { zlib, isal };

// "zlib" / "isal"
[[nodiscard]] std::string_view backend_name(InflateBackend backend) noexcept;
// Parses "zlib", "isal" or "auto" (the fastest available); nullopt otherwise.
[[nodiscard]] std::optional<InflateBackend> parse_backend(std::string_view text) noexcept;
[[nodiscard]] bool backend_available(InflateBackend backend) noexcept;
[[nodiscard]] InflateBackend default_backend() noexcept;
// Library version of the backend ("1.2.13", "2.30"), for results metadata.
[[nodiscard]] std::string_view backend_version(InflateBackend backend) noexcept;

enum class InflateResult : std::uint8_t {
  progress,    // consumed and/or produced; call again (with more input when in is used up)
  stream_end,  // the final deflate block is done; unread input starts after it
  bad_data,    // the stream is invalid
};

struct InflateStep {
  std::size_t consumed = 0;
  std::size_t produced = 0;
  InflateResult result = InflateResult::progress;
};

class RawInflater {
 public:
  virtual ~RawInflater() = default;
  // Start a new deflate stream (one gzip member); resets the CRC.
  virtual void reset() = 0;
  // Decode from `in` into `out`. Contract: makes progress whenever in_size > 0
  // or output is pending and out_size > 0; after stream_end, `consumed` stops
  // at the end of the deflate data, less overread() bytes given back.
  virtual InflateStep inflate(const std::uint8_t* in, std::size_t in_size, std::uint8_t* out,
                              std::size_t out_size) = 0;
  // CRC-32 (gzip polynomial) of all bytes produced since reset().
  [[nodiscard]] virtual std::uint32_t crc32() const noexcept = 0;
  // After stream_end: input bytes the decoder had already taken (counted in
  // `consumed`) that lie past the end of the deflate data. ISA-L reads ahead
  // up to 8 bytes into its bit buffer; the caller must read them again.
  [[nodiscard]] virtual std::span<const std::uint8_t> overread() const noexcept { return {}; }
};

// Throws std::invalid_argument if the backend is not built in, std::bad_alloc
// when the decoder state cannot be allocated.
[[nodiscard]] std::unique_ptr<RawInflater> make_inflater(InflateBackend backend);

// Backend constructors, defined in inflater_zlib.cpp / inflater_isal.cpp.
[[nodiscard]] std::unique_ptr<RawInflater> make_zlib_inflater();
[[nodiscard]] std::unique_ptr<RawInflater> make_isal_inflater();  // nullptr without ISA-L

}  // namespace juggle::gzip
