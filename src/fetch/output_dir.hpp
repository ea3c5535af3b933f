// The output directory of the fetch stage, held open as a directory file
// descriptor: every file is created, checked and renamed relative to it, so
// a name (which never holds '/') cannot reach outside, and a symbolic link
// planted under a name is never followed.
//
// Bodies are written to ".juggle-<pid>-<n>.partial" (O_EXCL|O_NOFOLLOW) and
// renamed to their final name only when complete and verified. Partial files
// of processes that no longer run are removed when the directory is opened.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace juggle::fetch {

class OutputDir {
 public:
  // Creates the directory if needed. Throws std::runtime_error naming it.
  explicit OutputDir(const std::string& path);
  ~OutputDir();
  OutputDir(const OutputDir&) = delete;
  OutputDir& operator=(const OutputDir&) = delete;

  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  [[nodiscard]] int fd() const noexcept { return fd_; }
  // A new temporary file open for writing; -1 with errno on failure.
  int create_temporary(std::string& name);
  // Renames a complete temporary to `name` (replacing an older file). False with errno.
  bool publish(const std::string& temporary, const std::string& name);
  void discard(const std::string& temporary) noexcept;
  // Size of the regular file `name`, if there is one (links are not followed).
  [[nodiscard]] std::optional<std::uint64_t> regular_file_size(const std::string& name) const;
  // SHA-256 of the regular file `name` as lowercase hex; empty if unreadable.
  [[nodiscard]] std::string sha256_of(const std::string& name) const;
  [[nodiscard]] int stale_partials_removed() const noexcept { return stale_removed_; }

 private:
  int remove_stale_partials();
  std::string path_;
  int fd_ = -1;
  int stale_removed_ = 0;
};

// True for a name OutputDir gives its temporaries (".juggle-<pid>-<n>.partial").
[[nodiscard]] bool is_temporary_name(const std::string& name);

// SHA-256 of everything read from `fd` (lowercase hex); empty on a read error.
[[nodiscard]] std::string sha256_hex(int fd);

}  // namespace juggle::fetch
