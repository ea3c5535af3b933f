#include "count/gzip_line_counter.hpp"

#include "count/newlines.hpp"

namespace juggle::count {
namespace {

class LineSink final : public gzip::OutputSink {
 public:
  void consume(std::span<const std::uint8_t> bytes) override {
    lines += count_newlines(bytes.data(), bytes.size());
    last = bytes.back();
  }
  std::uint64_t lines = 0;
  std::uint8_t last = '\n';
};

}  // namespace

LineCount count_gzip_lines(gzip::ByteSource& source, CountWorkspace& workspace) {
  LineSink sink;
  LineCount result;
  static_cast<gzip::GzipResult&>(result) = gzip::decode_gzip(source, workspace, sink);
  result.lines = sink.lines;
  result.unterminated = result.bytes_out > 0 && sink.last != '\n';
  return result;
}

LineCount count_gzip_buffer(std::span<const std::uint8_t> data, CountWorkspace& workspace) {
  gzip::MemorySource source(data);
  return count_gzip_lines(source, workspace);
}

LineCount count_gzip_file(const std::string& path, CountWorkspace& workspace) {
  gzip::FileSource source(path);
  return count_gzip_lines(source, workspace);
}

}  // namespace juggle::count
