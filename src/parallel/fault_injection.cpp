#include "parallel/fault_injection.hpp"

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <thread>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

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
  if (kind == "crash") std::raise(SIGSEGV);  // as a C library dereferencing a wild pointer would
  if (kind == "hog") {  // as a damaged size field would; untouched, so only address space is taken
    std::vector<std::unique_ptr<char[]>> blocks;
    for (int i = 0; i < 256; ++i) blocks.emplace_back(new char[std::size_t{256} << 20]);
    throw std::runtime_error("JUGGLE_INJECT_FAULT=" + text + ": 64 GiB allocated, no limit met");
  }
  if (kind == "stall") {
    std::cerr << "juggle: JUGGLE_INJECT_FAULT: rank " << rank << " stalls at " << stage << std::endl;
    std::this_thread::sleep_for(std::chrono::seconds(60));
    return;
  }
  throw std::runtime_error("fault injected by JUGGLE_INJECT_FAULT=" + text);
}

}  // namespace juggle::parallel
