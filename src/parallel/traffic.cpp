#include "parallel/traffic.hpp"

#include <atomic>

namespace juggle::parallel {
namespace {

std::atomic<std::uint64_t> collectives{0}, collective_bytes{0}, messages{0}, message_bytes{0};

}  // namespace

Traffic traffic_so_far() noexcept {
  return {collectives.load(std::memory_order_relaxed), collective_bytes.load(std::memory_order_relaxed),
          messages.load(std::memory_order_relaxed), message_bytes.load(std::memory_order_relaxed)};
}

void count_collective(std::uint64_t bytes_for_others) noexcept {
  collectives.fetch_add(1, std::memory_order_relaxed);
  collective_bytes.fetch_add(bytes_for_others, std::memory_order_relaxed);
}

void count_message(std::uint64_t bytes) noexcept {
  messages.fetch_add(1, std::memory_order_relaxed);
  message_bytes.fetch_add(bytes, std::memory_order_relaxed);
}

}  // namespace juggle::parallel
