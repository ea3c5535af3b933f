#include "files/program_data.hpp"

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace juggle::files {

std::string executable_directory() {
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec || exe.empty()) return {};
  return exe.parent_path().string();
}

std::string program_data_directory(const std::string& from_bin) {
  if (const char* own = std::getenv("JUGGLE_DATA_DIR"); own != nullptr && *own != '\0') return own;
  const std::string bin = executable_directory();
  if (bin.empty()) return {};
  return (std::filesystem::path(bin) / from_bin).lexically_normal().string();
}

}  // namespace juggle::files
