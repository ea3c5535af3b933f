#include "count/gzip_line_counter.hpp"

#include "count/newlines.hpp"

namespace juggle::count {

void LineSink::consume(std::span<const std::uint8_t> bytes) {
  lines_ += count_newlines(bytes.data(), bytes.size());
  last_ = bytes.back();
}

LineCount LineSink::result(const gzip::GzipResult& decoded) const noexcept {
  LineCount count;
  static_cast<gzip::GzipResult&>(count) = decoded;
  count.lines = lines_;
  count.unterminated = decoded.bytes_out > 0 && last_ != '\n';
  return count;
}

LineCount count_gzip_lines(gzip::ByteSource& source, CountWorkspace& workspace, gzip::StreamStart start) {
  LineSink sink;
  return sink.result(gzip::decode_gzip(source, workspace, sink, start));
}

LineCount count_gzip_buffer(std::span<const std::uint8_t> data, CountWorkspace& workspace) {
  gzip::MemorySource source(data);
  return count_gzip_lines(source, workspace);
}

LineCount count_gzip_file(const std::string& path, CountWorkspace& workspace, std::uint64_t begin, std::uint64_t end,
                          gzip::StreamStart start) {
  gzip::FileSource source(path, begin, end);
  return count_gzip_lines(source, workspace, start);
}

}  // namespace juggle::count
