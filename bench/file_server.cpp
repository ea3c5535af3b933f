// bench_file_server: the files of one directory over HTTP/1.1 on 127.0.0.1,
// each response held back by a fixed latency, for `make bench`.
//
// Why not tools/serve_files.py: its threads take the GIL in turn, so when 32
// requests come due together the last one is answered ~15 ms late, and a
// fetch benchmark at 50 ms latency would measure the server as much as the
// client. Here one thread and epoll answer every request when it is due:
// a timer heap holds the requests waiting out their latency, responses go
// out with sendfile(2) on non-blocking sockets, keep-alive connections are
// reused. Only what the benchmark clients send is understood: GET of a plain
// file name (no directories, nothing hidden), HTTP/1.0 or 1.1.
//
// Usage: bench_file_server DIR [--latency MS] [--lifetime S]
// Prints "PORT <n>" once listening (the protocol of tools/serve_files.py),
// then serves until SIGTERM/SIGINT or --lifetime seconds.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdint>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <queue>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
volatile sig_atomic_t g_stop = 0;

struct Connection {
  int fd = -1;
  std::uint64_t serial = 0;  // fd numbers are reused; the timer heap names connections by this
  std::string in;       // bytes received, the request being answered first
  std::string head;     // response head still to send
  std::size_t head_sent = 0;
  int file = -1;        // body being sent
  off_t offset = 0, size = 0;
  bool waiting = false;  // in the timer heap
  bool close_after = false;
};

struct Due {
  Clock::time_point at;
  int fd;
  std::uint64_t serial;
  bool operator>(const Due& o) const { return at > o.at; }
};

bool plain_name(const std::string& name) {
  if (name.empty() || name[0] == '.') return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-')) return false;
  return true;
}

class Server {
 public:
  Server(int dir, double latency_s) : dir_(dir), latency_(std::chrono::duration_cast<Clock::duration>(
                                                            std::chrono::duration<double>(latency_s))) {}

  int listen_on_loopback() {
    listener_ = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (listener_ < 0 || bind(listener_, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
        listen(listener_, 1024) != 0 || getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
      return -1;
    epoll_ = epoll_create1(EPOLL_CLOEXEC);
    watch(listener_, EPOLLIN, EPOLL_CTL_ADD);
    return ntohs(addr.sin_port);
  }

  void serve(Clock::time_point end) {
    std::vector<epoll_event> events(256);
    while (!g_stop && Clock::now() < end) {
      Clock::time_point wake = end;
      if (!due_.empty() && due_.top().at < wake) wake = due_.top().at;
      const auto ms = std::chrono::ceil<std::chrono::milliseconds>(wake - Clock::now()).count();
      const int n = epoll_wait(epoll_, events.data(), static_cast<int>(events.size()),
                               static_cast<int>(std::max<long long>(0, std::min<long long>(ms, 200))));
      for (int i = 0; i < n; ++i) {
        const int fd = events[i].data.fd;
        if (fd == listener_) {
          accept_all();
        } else if (auto it = conns_.find(fd); it != conns_.end()) {
          if (events[i].events & (EPOLLERR | EPOLLHUP)) drop(fd);
          else if (it->second->file >= 0 || it->second->head_sent < it->second->head.size()) send_some(*it->second);
          else read_some(*it->second);
        }
      }
      while (!due_.empty() && due_.top().at <= Clock::now()) {
        const Due due = due_.top();
        due_.pop();
        if (auto it = conns_.find(due.fd); it != conns_.end() && it->second->serial == due.serial) {
          it->second->waiting = false;
          respond(*it->second);
        }
      }
    }
  }

 private:
  void watch(int fd, unsigned events, int op) {
    epoll_event ev{};
    ev.events = events;
    ev.data.fd = fd;
    epoll_ctl(epoll_, op, fd, &ev);
  }

  void accept_all() {
    for (;;) {
      const int fd = accept4(listener_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) return;
      const int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      auto c = std::make_unique<Connection>();
      c->fd = fd;
      c->serial = ++serials_;
      conns_[fd] = std::move(c);
      watch(fd, EPOLLIN, EPOLL_CTL_ADD);
    }
  }

  void drop(int fd) {
    auto it = conns_.find(fd);
    if (it == conns_.end()) return;
    if (it->second->file >= 0) close(it->second->file);
    close(fd);  // also leaves the epoll set
    conns_.erase(it);  // its heap entry, if any, no longer matches a serial
  }

  void read_some(Connection& c) {
    char buf[8192];
    for (;;) {
      const ssize_t got = recv(c.fd, buf, sizeof buf, 0);
      if (got > 0) {
        c.in.append(buf, static_cast<std::size_t>(got));
        continue;
      }
      if (got == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) return drop(c.fd);
      break;
    }
    if (!c.waiting && c.in.find("\r\n\r\n") != std::string::npos) {
      c.waiting = true;
      due_.push({Clock::now() + latency_, c.fd, c.serial});
    }
  }

  // The request at the front of c.in is due: prepare its response and send.
  void respond(Connection& c) {
    const std::size_t end = c.in.find("\r\n\r\n");
    const std::string request = c.in.substr(0, end + 4);
    c.in.erase(0, end + 4);
    const std::size_t sp1 = request.find(' '), sp2 = request.find(' ', sp1 + 1);
    const std::string method = request.substr(0, sp1);
    const std::string target = sp1 == std::string::npos ? "" : request.substr(sp1 + 1, sp2 - sp1 - 1);
    const std::string version = sp2 == std::string::npos ? "" : request.substr(sp2 + 1, request.find('\r') - sp2 - 1);
    std::string lower = request;
    for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    c.close_after = version != "HTTP/1.1" || lower.find("\r\nconnection: close") != std::string::npos;

    const std::string name = target.size() > 1 && target[0] == '/' ? target.substr(1) : "";
    int status = 200;
    struct stat st{};
    if (method != "GET") status = 405;
    else if (!plain_name(name) || (c.file = openat(dir_, name.c_str(), O_RDONLY | O_CLOEXEC)) < 0) status = 404;
    else if (fstat(c.file, &st) != 0 || !S_ISREG(st.st_mode)) status = 404;
    if (status != 200 && c.file >= 0) {
      close(c.file);
      c.file = -1;
    }
    c.offset = 0;
    c.size = status == 200 ? st.st_size : 0;
    const char* reason = status == 200 ? "OK" : status == 404 ? "Not Found" : "Method Not Allowed";
    c.head = "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\nContent-Length: " + std::to_string(c.size) +
             "\r\nContent-Type: application/octet-stream\r\n" + (c.close_after ? "Connection: close\r\n" : "") +
             "\r\n";
    c.head_sent = 0;
    send_some(c);
  }

  void send_some(Connection& c) {
    while (c.head_sent < c.head.size()) {
      const ssize_t n = send(c.fd, c.head.data() + c.head_sent, c.head.size() - c.head_sent, MSG_NOSIGNAL);
      if (n < 0) return blocked(c);
      c.head_sent += static_cast<std::size_t>(n);
    }
    while (c.file >= 0 && c.offset < c.size) {
      const ssize_t n = sendfile(c.fd, c.file, &c.offset, static_cast<std::size_t>(c.size - c.offset));
      if (n < 0) return blocked(c);
      if (n == 0) break;  // the file shrank: the client sees a short body
    }
    if (c.file >= 0) close(c.file);
    c.file = -1;
    c.head.clear();
    c.head_sent = 0;
    if (c.close_after) return drop(c.fd);
    watch(c.fd, EPOLLIN, EPOLL_CTL_MOD);
    if (c.in.find("\r\n\r\n") != std::string::npos) {  // a pipelined request
      c.waiting = true;
      due_.push({Clock::now() + latency_, c.fd, c.serial});
    }
  }

  void blocked(Connection& c) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return watch(c.fd, EPOLLOUT, EPOLL_CTL_MOD);
    drop(c.fd);
  }

  int dir_;
  Clock::duration latency_;
  int listener_ = -1, epoll_ = -1;
  std::uint64_t serials_ = 0;
  std::map<int, std::unique_ptr<Connection>> conns_;
  std::priority_queue<Due, std::vector<Due>, std::greater<>> due_;
};

}  // namespace

int main(int argc, char** argv) {
  const char* dir = nullptr;
  double latency_ms = 50, lifetime_s = 900;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if ((a == "--latency" || a == "--lifetime") && i + 1 < argc) (a == "--latency" ? latency_ms : lifetime_s) = std::atof(argv[++i]);
    else if (!dir && a[0] != '-') dir = argv[i];
    else {
      std::fprintf(stderr, "usage: bench_file_server DIR [--latency MS] [--lifetime S]\n");
      return 2;
    }
  }
  const int dfd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
  if (dfd < 0) {
    std::fprintf(stderr, "bench_file_server: %s: %s\n", dir ? dir : "(no directory)", std::strerror(errno));
    return 2;
  }
  struct sigaction sa{};
  sa.sa_handler = [](int) { g_stop = 1; };
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  Server server(dfd, latency_ms / 1000);
  const int port = server.listen_on_loopback();
  if (port < 0) {
    std::fprintf(stderr, "bench_file_server: cannot listen on 127.0.0.1: %s\n", std::strerror(errno));
    return 1;
  }
  std::printf("PORT %d\n", port);
  std::fflush(stdout);
  server.serve(Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(lifetime_s)));
  return 0;
}
