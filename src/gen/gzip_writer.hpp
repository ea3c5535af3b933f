// Writing gzip files with zlib, one or several members, to a file descriptor.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace juggle::gen {

class GzipWriter {
 public:
  // Writes to `fd` (not owned); `path` only names the file in errors.
  GzipWriter(int fd, std::string path, int level);
  ~GzipWriter();
  GzipWriter(const GzipWriter&) = delete;
  GzipWriter& operator=(const GzipWriter&) = delete;

  // Appends to the current member (the first starts on construction).
  void write(std::span<const char> data);
  // Finishes the current member and starts a new one.
  void next_member();
  // Finishes the last member. Throws std::runtime_error on write failure.
  void finish();
  [[nodiscard]] std::uint64_t bytes_written() const noexcept { return written_; }

 private:
  void deflate_all(int flush);
  void start_member();
  int fd_;
  std::string path_;
  int level_;
  z_stream zs_{};
  bool open_ = false;
  std::vector<unsigned char> out_;
  std::uint64_t written_ = 0;
};

}  // namespace juggle::gen
