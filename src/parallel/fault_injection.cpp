#include "parallel/fault_injection.hpp"

#include <cstdlib>
#include <new>
#include <stdexcept>
#include <string>

namespace juggle::parallel {

void inject_fault_if_asked(int rank, std::string_view stage) {
  const char* spec = std::getenv("JUGGLE_INJECT_FAULT");
  if (spec == nullptr) return;
  const std::string text(spec);
  const auto first = text.find(':');
  const auto second = text.find(':', first + 1);
  if (first == std::string::npos || second == std::string::npos) return;
  if (text.substr(0, first) != std::to_string(rank) || text.substr(first + 1, second - first - 1) != stage) return;
  const std::string kind = text.substr(second + 1);
  if (kind == "bad_alloc") throw std::bad_alloc();
  throw std::runtime_error("fault injected by JUGGLE_INJECT_FAULT=" + text);
}

}  // namespace juggle::parallel
