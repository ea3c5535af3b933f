#include "gen/gzip_writer.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <new>
#include <stdexcept>

namespace juggle::gen {

GzipWriter::GzipWriter(int fd, std::string path, int level)
    : fd_(fd), path_(std::move(path)), level_(level), out_(256 * 1024) {
  start_member();
}

GzipWriter::~GzipWriter() {
  if (open_) deflateEnd(&zs_);
}

void GzipWriter::start_member() {
  zs_ = z_stream{};
  // 15 + 16: a gzip wrapper (header with MTIME 0, so output is reproducible).
  if (deflateInit2(&zs_, level_, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) throw std::bad_alloc();
  open_ = true;
}

void GzipWriter::deflate_all(int flush) {
  for (;;) {
    zs_.next_out = out_.data();
    zs_.avail_out = static_cast<uInt>(out_.size());
    const int rc = deflate(&zs_, flush);
    if (rc == Z_STREAM_ERROR) throw std::logic_error("deflate: stream error");
    const std::size_t n = out_.size() - zs_.avail_out;
    for (std::size_t done = 0; done < n;) {
      const ssize_t w = ::write(fd_, out_.data() + done, n - done);
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) throw std::runtime_error(path_ + ": " + std::strerror(errno));
      done += static_cast<std::size_t>(w);
    }
    written_ += n;
    if (flush == Z_FINISH ? rc == Z_STREAM_END : zs_.avail_in == 0 && zs_.avail_out != 0) return;
  }
}

void GzipWriter::write(std::span<const char> data) {
  zs_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs_.avail_in = static_cast<uInt>(data.size());
  deflate_all(Z_NO_FLUSH);
}

void GzipWriter::next_member() {
  finish();
  start_member();
}

void GzipWriter::finish() {
  if (!open_) return;
  zs_.avail_in = 0;
  deflate_all(Z_FINISH);
  deflateEnd(&zs_);
  open_ = false;
}

}  // namespace juggle::gen
