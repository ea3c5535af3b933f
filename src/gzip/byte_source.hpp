// Where compressed bytes come from. The counter pulls through this interface
// so the same code counts a memory buffer (tests, fuzzing) and a file
// descriptor (production), with one virtual call per large read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace juggle::gzip {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Copies up to dst.size() bytes into dst. Returns the number copied, 0 at end
  // of input, or -1 on failure with error() set to the errno.
  virtual std::ptrdiff_t read(std::span<std::uint8_t> dst) = 0;
  // Continues reading at byte `offset` of the input; false when the source
  // cannot go back (a pipe). Only used on the error path (gzip_decoder.cpp).
  virtual bool seek(std::uint64_t /*offset*/) { return false; }
  [[nodiscard]] int error() const noexcept { return error_; }

 protected:
  int error_ = 0;
};

// Serves a caller-owned buffer, optionally in pieces of at most `piece` bytes
// (tests use small pieces to split headers and trailers across reads).
class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(std::span<const std::uint8_t> data, std::size_t piece = SIZE_MAX) noexcept
      : data_(data), piece_(piece == 0 ? 1 : piece) {}
  std::ptrdiff_t read(std::span<std::uint8_t> dst) override;
  bool seek(std::uint64_t offset) override;

 private:
  std::span<const std::uint8_t> data_;
  std::size_t piece_;
  std::size_t pos_ = 0;
};

// Reads a file sequentially with read(2), whole or the bytes [begin, end)
// (offsets then count from begin: the range reads as a file of its own).
// Opening failure is reported by the first read() (so callers handle one
// error path), never thrown.
class FileSource final : public ByteSource {
 public:
  explicit FileSource(const std::string& path, std::uint64_t begin = 0, std::uint64_t end = UINT64_MAX) noexcept;
  ~FileSource() override;
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;
  std::ptrdiff_t read(std::span<std::uint8_t> dst) override;
  bool seek(std::uint64_t offset) override;

 private:
  int fd_ = -1;
  bool advised_ = false;  // the readahead advice was considered (at the first read)
  std::uint64_t begin_ = 0;
  std::uint64_t end_ = UINT64_MAX;
  std::uint64_t at_ = 0;  // file offset of the next byte read
};

// Reads a descriptor it does not own (standard input) from where it is,
// with read(2), after handing out `prefix`: bytes already read from it to
// look at the data's first bytes. A pipe cannot go back: seek() refuses.
class StreamSource final : public ByteSource {
 public:
  explicit StreamSource(int fd, std::span<const std::uint8_t> prefix = {}) noexcept : fd_(fd), prefix_(prefix) {}
  std::ptrdiff_t read(std::span<std::uint8_t> dst) override;

 private:
  int fd_;
  std::span<const std::uint8_t> prefix_;
};

// Reads up to dst.size() bytes from `fd` (fewer only at its end): a
// stream's first bytes, to tell gzip from text. Returns the count, or -1
// with errno set.
[[nodiscard]] std::ptrdiff_t read_up_to(int fd, std::span<std::uint8_t> dst) noexcept;

}  // namespace juggle::gzip
