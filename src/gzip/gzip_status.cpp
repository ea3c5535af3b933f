#include "gzip/gzip_status.hpp"

#include <cstring>

namespace juggle::gzip {

std::string_view status_name(GzipStatus status) noexcept {
  switch (status) {
    case GzipStatus::ok: return "ok";
    case GzipStatus::not_gzip: return "not_gzip";
    case GzipStatus::unknown_method: return "unknown_method";
    case GzipStatus::bad_header: return "bad_header";
    case GzipStatus::truncated: return "truncated";
    case GzipStatus::bad_data: return "bad_data";
    case GzipStatus::crc_mismatch: return "crc_mismatch";
    case GzipStatus::length_mismatch: return "length_mismatch";
    case GzipStatus::read_error: return "read_error";
  }
  return "unknown";
}

std::string status_message(GzipStatus status, int sys_errno) {
  switch (status) {
    case GzipStatus::ok: return "";
    case GzipStatus::not_gzip: return "not in gzip format";
    case GzipStatus::unknown_method: return "unknown method";
    case GzipStatus::bad_header: return "invalid gzip header";
    case GzipStatus::truncated: return "unexpected end of file";
    case GzipStatus::bad_data: return "invalid compressed data--format violated";
    case GzipStatus::crc_mismatch: return "invalid compressed data--crc error";
    case GzipStatus::length_mismatch: return "invalid compressed data--length error";
    case GzipStatus::read_error: return std::strerror(sys_errno);
  }
  return "unknown status";
}

}  // namespace juggle::gzip
