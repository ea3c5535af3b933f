#include "files/name_list.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "files/unique_fd.hpp"

namespace juggle::files {
namespace {

// All of `fd`'s bytes; errno's reason on failure.
bool read_all(int fd, std::string& text, std::string& why) {
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n == 0) return true;
    if (n < 0) {
      if (errno == EINTR) continue;
      why = std::strerror(errno);
      return false;
    }
    text.append(buffer, static_cast<std::size_t>(n));
  }
}

}  // namespace

std::vector<std::string> split_name_list(const std::string& text, char separator) {
  std::vector<std::string> names;
  std::size_t from = 0;
  while (from < text.size()) {
    std::size_t to = text.find(separator, from);
    if (to == std::string::npos) to = text.size();
    if (to > from) names.emplace_back(text, from, to - from);
    from = to + 1;
  }
  return names;
}

std::vector<std::string> read_name_list(const std::string& list, char separator) {
  const bool standard_input = list == kStandardInputName;
  const std::string shown = standard_input ? "standard input (--files-from -)" : list;
  UniqueFd owned;
  if (!standard_input) {
    owned = UniqueFd::open_read(list);
    if (owned.get() < 0) throw std::runtime_error(shown + ": " + std::strerror(errno));
  }
  std::string text, why;
  if (!read_all(standard_input ? STDIN_FILENO : owned.get(), text, why)) throw std::runtime_error(shown + ": " + why);
  if (separator != '\0' && text.find('\0') != std::string::npos)
    throw std::runtime_error(shown + ": holds a NUL byte (a NUL-separated list needs --null)");
  return split_name_list(text, separator);
}

}  // namespace juggle::files
