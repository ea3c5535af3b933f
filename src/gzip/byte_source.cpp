#include "gzip/byte_source.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace juggle::gzip {

std::ptrdiff_t MemorySource::read(std::span<std::uint8_t> dst) {
  const std::size_t n = std::min({dst.size(), piece_, data_.size() - pos_});
  if (n > 0) std::memcpy(dst.data(), data_.data() + pos_, n);
  pos_ += n;
  return static_cast<std::ptrdiff_t>(n);
}

bool MemorySource::seek(std::uint64_t offset) {
  if (offset > data_.size()) return false;
  pos_ = static_cast<std::size_t>(offset);
  return true;
}

FileSource::FileSource(const std::string& path, std::uint64_t begin, std::uint64_t end) noexcept
    : begin_(begin), end_(end), at_(begin) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) {
    error_ = errno;
    return;
  }
  if (begin > 0 && ::lseek(fd_, static_cast<off_t>(begin), SEEK_SET) != static_cast<off_t>(begin)) {
    error_ = errno;
    ::close(fd_);
    fd_ = -1;
  }
}

FileSource::~FileSource() {
  if (fd_ >= 0) ::close(fd_);
}

std::ptrdiff_t FileSource::read(std::span<std::uint8_t> dst) {
  if (fd_ < 0) return -1;
  if (end_ - at_ < dst.size()) dst = dst.first(static_cast<std::size_t>(end_ - at_));
  if (dst.empty()) return 0;
  for (;;) {
    const ssize_t n = ::read(fd_, dst.data(), dst.size());
    if (n >= 0) {
      at_ += static_cast<std::uint64_t>(n);
      // Whole-file sequential scan: aggressive readahead, asked for once a
      // first read comes back full (a small file, most of a tree of them,
      // is then one syscall shorter).
      if (!advised_ && static_cast<std::size_t>(n) == dst.size())
        (void)::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
      advised_ = true;
      return n;
    }
    if (errno == EINTR) continue;
    error_ = errno;
    return -1;
  }
}

bool FileSource::seek(std::uint64_t offset) {
  if (fd_ < 0 || offset > end_ - begin_) return false;
  const std::uint64_t at = begin_ + offset;
  if (::lseek(fd_, static_cast<off_t>(at), SEEK_SET) != static_cast<off_t>(at)) return false;
  at_ = at;
  return true;
}

std::ptrdiff_t StreamSource::read(std::span<std::uint8_t> dst) {
  if (!prefix_.empty()) {
    const std::size_t n = std::min(dst.size(), prefix_.size());
    std::memcpy(dst.data(), prefix_.data(), n);
    prefix_ = prefix_.subspan(n);
    return static_cast<std::ptrdiff_t>(n);
  }
  for (;;) {
    const ssize_t n = ::read(fd_, dst.data(), dst.size());
    if (n >= 0) return n;
    if (errno == EINTR) continue;
    error_ = errno;
    return -1;
  }
}

std::ptrdiff_t read_up_to(int fd, std::span<std::uint8_t> dst) noexcept {
  std::size_t got = 0;
  while (got < dst.size()) {
    const ssize_t n = ::read(fd, dst.data() + got, dst.size() - got);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    got += static_cast<std::size_t>(n);
  }
  return static_cast<std::ptrdiff_t>(got);
}

}  // namespace juggle::gzip
