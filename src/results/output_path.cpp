#include "results/output_path.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace juggle::results {
namespace fs = std::filesystem;

std::string default_output_path(std::string_view command, std::time_t now, const std::string& dir) {
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
  return (fs::path(dir) / (std::string(command) + "-" + stamp + ".h5")).string();
}

std::string check_output_target(const std::string& path, bool force) {
  const fs::path target(path);
  std::error_code ec;
  if (fs::is_directory(target, ec)) return "is a directory";
  if (!force && fs::exists(target, ec)) return "already exists (use --force to replace it)";
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  fs::create_directories(dir, ec);
  if (ec) return "cannot create directory " + dir.string() + ": " + ec.message();
  if (::access(dir.c_str(), W_OK | X_OK) != 0) return "cannot write to directory " + dir.string() + ": " + std::strerror(errno);
  return {};
}

std::string temporary_path_for(const std::string& final_path) {
  const fs::path target(final_path);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  return (dir / ("." + target.filename().string() + ".partial-" + std::to_string(::getpid()))).string();
}

namespace {

// Publishes without replacing: true on success, false if the name is taken.
bool publish_no_replace(const std::string& temp, const std::string& name) {
  if (::link(temp.c_str(), name.c_str()) == 0) {
    ::unlink(temp.c_str());
    return true;
  }
  if (errno == EEXIST) return false;
  // Filesystems without hard links: the kernel's atomic no-replace rename.
  if (errno == EPERM || errno == ENOTSUP || errno == EOPNOTSUPP || errno == EMLINK) {
    if (::renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, name.c_str(), RENAME_NOREPLACE) == 0) return true;
    if (errno == EEXIST) return false;
  }
  throw std::runtime_error(name + ": " + std::strerror(errno));
}

std::string numbered(const std::string& path, int n) {
  const fs::path p(path);
  return (p.parent_path() / (p.stem().string() + "-" + std::to_string(n) + p.extension().string())).string();
}

}  // namespace

std::string publish(const std::string& temp, const std::string& final_path, bool force, bool bump) {
  if (force) {
    if (std::rename(temp.c_str(), final_path.c_str()) != 0)
      throw std::runtime_error(final_path + ": " + std::strerror(errno));
    return final_path;
  }
  if (publish_no_replace(temp, final_path)) return final_path;
  if (bump) {
    for (int n = 2; n < 10000; ++n) {
      const std::string candidate = numbered(final_path, n);
      if (publish_no_replace(temp, candidate)) return candidate;
    }
  }
  throw std::runtime_error(final_path + ": already exists (use --force to replace it)");
}

}  // namespace juggle::results
