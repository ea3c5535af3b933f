// Outcomes of decoding one gzip file, as an enum in the manner of libdeflate's
// result codes. The messages follow gzip's own wording, so a user comparing
// `juggle count` with `gzip -t` reads the same reason.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace juggle::gzip {

enum class GzipStatus : std::uint8_t {
  ok = 0,           // every member decoded and verified
  not_gzip,         // the file does not start with the gzip magic number
  unknown_method,   // compression method other than deflate
  bad_header,       // reserved header flags set, or header CRC16 mismatch
  truncated,        // input ended inside a member
  bad_data,         // the deflate stream is invalid
  crc_mismatch,     // trailer CRC-32 differs from the decoded data
  length_mismatch,  // trailer ISIZE differs from the decoded length mod 2^32
  read_error,       // the file could not be opened or read (see the errno beside it)
};

// Short stable identifier stored in results files: "ok", "not_gzip", ...
[[nodiscard]] std::string_view status_name(GzipStatus status) noexcept;

// Human reason in gzip's words; for read_error, strerror(sys_errno).
[[nodiscard]] std::string status_message(GzipStatus status, int sys_errno);

// The warning of a file that decoded completely with trailing data ignored.
inline constexpr const char* kTrailingGarbageWarning = "decompression OK, trailing garbage ignored";

}  // namespace juggle::gzip
