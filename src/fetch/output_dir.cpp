#include "fetch/output_dir.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <vector>

namespace juggle::fetch {
namespace {

constexpr const char* kPrefix = ".juggle-";
constexpr const char* kSuffix = ".partial";

std::atomic<unsigned> temp_counter{0};

// ".juggle-<pid>-<n>.partial" -> pid, or 0 when the name is not ours.
pid_t owner_of(const std::string& name) {
  const std::string prefix = kPrefix;
  const std::string suffix = kSuffix;
  if (name.size() <= prefix.size() + suffix.size() || name.compare(0, prefix.size(), prefix) != 0 ||
      name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
    return 0;
  return static_cast<pid_t>(std::atol(name.c_str() + prefix.size()));
}

}  // namespace

bool is_temporary_name(const std::string& name) { return owner_of(name) != 0; }

std::string sha256_hex(int fd) {
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) return {};
  std::vector<unsigned char> buffer(1 << 20);
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return {};
    if (n == 0) break;
    EVP_DigestUpdate(ctx.get(), buffer.data(), static_cast<std::size_t>(n));
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(ctx.get(), digest, &length);
  std::string hex;
  char two[3];
  for (unsigned int i = 0; i < length; ++i) {
    std::snprintf(two, sizeof two, "%02x", digest[i]);
    hex += two;
  }
  return hex;
}

OutputDir::OutputDir(const std::string& path) : path_(path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  fd_ = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd_ < 0) throw std::runtime_error(path + ": " + std::strerror(errno));
  stale_removed_ = remove_stale_partials();
}

OutputDir::~OutputDir() {
  if (fd_ >= 0) ::close(fd_);
}

int OutputDir::remove_stale_partials() {
  const int dup = ::openat(fd_, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dup < 0) return 0;
  std::unique_ptr<DIR, int (*)(DIR*)> dir(::fdopendir(dup), ::closedir);
  if (!dir) {
    ::close(dup);
    return 0;
  }
  int removed = 0;
  while (const dirent* entry = ::readdir(dir.get())) {
    const pid_t pid = owner_of(entry->d_name);
    if (pid <= 0) continue;
    // Only partials of processes that are gone: another juggle may be writing.
    if (::kill(pid, 0) == 0 || errno != ESRCH) continue;
    if (::unlinkat(fd_, entry->d_name, 0) == 0) ++removed;
  }
  return removed;
}

int OutputDir::create_temporary(std::string& name) {
  name = std::string(kPrefix) + std::to_string(::getpid()) + "-" + std::to_string(temp_counter++) + kSuffix;
  return ::openat(fd_, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
}

bool OutputDir::publish(const std::string& temporary, const std::string& name) {
  if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..") {
    errno = EINVAL;
    return false;
  }
  return ::renameat(fd_, temporary.c_str(), fd_, name.c_str()) == 0;
}

void OutputDir::discard(const std::string& temporary) noexcept { ::unlinkat(fd_, temporary.c_str(), 0); }

std::optional<std::uint64_t> OutputDir::regular_file_size(const std::string& name) const {
  struct stat st {};
  if (::fstatat(fd_, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return static_cast<std::uint64_t>(st.st_size);
}

std::string OutputDir::sha256_of(const std::string& name) const {
  const int fd = ::openat(fd_, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return {};
  std::string hex = sha256_hex(fd);
  ::close(fd);
  return hex;
}

}  // namespace juggle::fetch
