#include "fetch/resolver.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <istream>
#include <sstream>
#include <mutex>
#include <thread>

namespace juggle::fetch {
namespace {

void lookup(Lookup& l, const results::Clock& clock) {
  l.t_start = clock.now();
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const int rc = ::getaddrinfo(l.host.c_str(), nullptr, &hints, &found);
  if (rc != 0) {
    l.error = ::gai_strerror(rc);
  } else {
    for (const addrinfo* a = found; a != nullptr; a = a->ai_next) {
      char text[INET6_ADDRSTRLEN] = {};
      const void* where = a->ai_family == AF_INET
                              ? static_cast<const void*>(&reinterpret_cast<const sockaddr_in*>(a->ai_addr)->sin_addr)
                              : static_cast<const void*>(&reinterpret_cast<const sockaddr_in6*>(a->ai_addr)->sin6_addr);
      if (::inet_ntop(a->ai_family, where, text, sizeof text) &&
          std::find(l.addresses.begin(), l.addresses.end(), text) == l.addresses.end())
        l.addresses.emplace_back(text);
    }
    ::freeaddrinfo(found);
  }
  l.t_end = clock.now();
}

}  // namespace

std::vector<Lookup> resolve_all(const std::vector<std::string>& hosts, bool concurrent, int concurrency,
                                const results::Clock& clock, const std::function<void(const Lookup&)>& on_done) {
  std::vector<Lookup> lookups(hosts.size());
  for (std::size_t i = 0; i < hosts.size(); ++i) lookups[i].host = hosts[i];
  std::mutex done_mutex;
  const auto finish = [&](const Lookup& l) {
    const std::lock_guard<std::mutex> lock(done_mutex);
    if (on_done) on_done(l);
  };
  if (!concurrent) {
    for (Lookup& l : lookups) {
      lookup(l, clock);
      finish(l);
    }
    return lookups;
  }
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> pool;
  const int n = std::max(1, std::min<int>(concurrency, static_cast<int>(hosts.size())));
  for (int w = 0; w < n; ++w) {
    pool.emplace_back([&, w] {
      for (std::size_t i; (i = next++) < lookups.size();) {
        lookups[i].worker = w;
        lookup(lookups[i], clock);
        finish(lookups[i]);
      }
    });
  }
  for (std::thread& t : pool) t.join();
  return lookups;
}

std::vector<std::string> parse_host_list(std::istream& in) {
  std::vector<std::string> hosts;
  for (std::string line; std::getline(in, line);) {
    if (const auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::istringstream words(line);
    for (std::string w; words >> w;) hosts.push_back(w);
  }
  return hosts;
}

}  // namespace juggle::fetch
