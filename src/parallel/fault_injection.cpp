#include "parallel/fault_injection.hpp"

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <thread>
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
  if (kind == "stall") {
    std::cerr << "juggle: JUGGLE_INJECT_FAULT: rank " << rank << " stalls at " << stage << std::endl;
    std::this_thread::sleep_for(std::chrono::seconds(60));
    return;
  }
  throw std::runtime_error("fault injected by JUGGLE_INJECT_FAULT=" + text);
}

}  // namespace juggle::parallel
