#include "fetch/transfer.hpp"

#include "fetch/retry_policy.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <ctime>
#include <strings.h>

namespace juggle::fetch {
namespace {
constexpr long kReceiveBufferBytes = 256L * 1024;  // CURLOPT_BUFFERSIZE, see start()

}  // namespace

Transfer::Transfer(FetchJob job, std::size_t index, OutputDir& dir, const FetchPolicy& policy, std::uint64_t seed)
    : job_(std::move(job)), index_(index), dir_(dir), policy_(policy), jitter_(seed) {
  record_.url = job_.url;
  record_.path = dir_.path() + "/" + job_.name;
}

Transfer::~Transfer() {
  close_temporary();
  if (!temporary_.empty()) dir_.discard(temporary_);
}

void Transfer::close_temporary() noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

bool Transfer::skip_if_complete(double now) {
  const auto size = dir_.regular_file_size(job_.name);
  if (!size || (job_.size && *size != *job_.size)) return false;
  if (!job_.sha256.empty() && dir_.sha256_of(job_.name) != job_.sha256) return false;
  record_.outcome = TransferOutcome::skipped;
  record_.bytes = *size;
  record_.t_start = record_.t_end = now;
  return true;
}

bool Transfer::start_attempt(CURL* easy, double now, double deadline) {
  if (record_.attempts == 0) record_.t_start = now;
  ++record_.attempts;
  bytes_ = 0;
  pending_.clear();
  write_errno_ = 0;
  too_big_ = write_failed_ = false;
  retry_after_.reset();
  error_[0] = '\0';
  fd_ = dir_.create_temporary(temporary_);
  if (fd_ < 0) {
    const std::string reason = dir_.path() + ": " + std::strerror(errno);
    temporary_.clear();
    (void)fail(reason, now);
    return false;
  }
  temporary_guard_ = files::RemoveOnInterrupt(dir_.fd(), temporary_);
  curl_easy_reset(easy);  // keeps the connection cache
  curl_easy_setopt(easy, CURLOPT_URL, job_.url.c_str());
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(easy, CURLOPT_MAXREDIRS, policy_.max_redirects);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, policy_.connect_timeout_ms);
  curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, policy_.low_speed_bytes);
  curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, policy_.low_speed_seconds);
  const double left = std::max(0.001, deadline - now);
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(std::ceil(left * 1000)));
  curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(policy_.max_bytes));
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, policy_.verify_tls ? 1L : 0L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, policy_.verify_tls ? 2L : 0L);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(easy, CURLOPT_USERAGENT, "juggle/0.1 (libcurl)");
  // libcurl's 16 KiB default means a recv, a poll and a write per 16 KiB:
  // 24,000 of each for 400 MB, which made one event loop slower than curl's
  // own tool (100 KiB). 256 KiB per transfer: 8 MiB at 32 transfers.
  curl_easy_setopt(easy, CURLOPT_BUFFERSIZE, kReceiveBufferBytes);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &Transfer::on_write);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, this);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &Transfer::on_header);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, this);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, error_);
  curl_easy_setopt(easy, CURLOPT_PRIVATE, this);
  return true;
}

std::size_t Transfer::on_write(char* data, std::size_t size, std::size_t count, void* self) {
  auto& t = *static_cast<Transfer*>(self);
  const std::size_t n = size * count;
  if (t.bytes_ + n > t.policy_.max_bytes) {
    t.too_big_ = true;
    return 0;  // aborts the transfer
  }
  if (t.pending_.capacity() < kReceiveBufferBytes) t.pending_.reserve(kReceiveBufferBytes);
  t.pending_.insert(t.pending_.end(), data, data + n);
  t.bytes_ += n;
  if (t.pending_.size() >= kReceiveBufferBytes && !t.flush_pending()) return 0;  // aborts the transfer
  return n;
}

bool Transfer::flush_pending() noexcept {
  for (std::size_t done = 0; done < pending_.size();) {
    const ssize_t w = ::write(fd_, pending_.data() + done, pending_.size() - done);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) {
      write_errno_ = errno;
      write_failed_ = true;
      pending_.clear();
      return false;
    }
    done += static_cast<std::size_t>(w);
  }
  pending_.clear();
  return true;
}

std::size_t Transfer::on_header(char* data, std::size_t size, std::size_t count, void* self) {
  auto& t = *static_cast<Transfer*>(self);
  const std::size_t n = size * count;
  const std::string line(data, n);
  if (line.rfind("HTTP/", 0) == 0) t.retry_after_.reset();  // a new response (after a redirect)
  if (line.size() > 12 && ::strncasecmp(line.c_str(), "retry-after:", 12) == 0)
    t.retry_after_ = parse_retry_after(line.substr(12), std::time(nullptr));
  return n;
}

std::string Transfer::verify_body() const {
  if (job_.size && bytes_ != *job_.size)
    return "size " + std::to_string(bytes_) + " bytes, expected " + std::to_string(*job_.size);
  if (!job_.sha256.empty()) {
    const int fd = ::open((dir_.path() + "/" + temporary_).c_str(), O_RDONLY | O_CLOEXEC);
    const std::string got = fd >= 0 ? sha256_hex(fd) : std::string();
    if (fd >= 0) ::close(fd);
    if (got != job_.sha256) return "SHA-256 mismatch";
  }
  return {};
}

Transfer::Next Transfer::fail(std::string reason, double now) {
  record_.outcome = TransferOutcome::failed;
  record_.error = std::move(reason);
  record_.t_end = now;
  return Next::done;
}

Transfer::Next Transfer::retry_or_fail(std::string reason, double now, double deadline) {
  if (record_.attempts >= policy_.max_attempts)
    return fail(reason + " (after " + std::to_string(record_.attempts) + " attempts)", now);
  double wait = 0;
  if (retry_after_) {
    wait = std::min(*retry_after_, policy_.backoff_max);
  } else {
    const double base = policy_.backoff_initial * std::pow(2.0, record_.attempts - 1);
    std::uniform_real_distribution<double> jitter(0.5, 1.5);
    wait = std::min(base, policy_.backoff_max) * jitter(jitter_);
  }
  if (now + wait >= deadline) return fail(reason + " (deadline reached)", now);
  retry_at_ = now + wait;
  return Next::retry;
}

Transfer::Next Transfer::finish_attempt(CURL* easy, CURLcode code, double now, double deadline) {
  if (!write_failed_ && fd_ >= 0) (void)flush_pending();
  pending_ = {};  // a finished transfer keeps no buffer
  close_temporary();
  long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  record_.http_status = status;
  record_.bytes = bytes_;
  std::string problem;
  bool retry = false;
  if (too_big_ || code == CURLE_FILESIZE_EXCEEDED) {
    problem = "body larger than " + std::to_string(policy_.max_bytes) + " bytes";
  } else if (write_failed_) {
    problem = dir_.path() + ": " + std::strerror(write_errno_);
  } else if (code != CURLE_OK) {
    problem = error_[0] ? std::string(error_) : curl_easy_strerror(code);
    retry = transient(code);
  } else if (status < 200 || status > 299) {
    problem = "HTTP " + std::to_string(status);
    retry = retryable_status(status);
  } else if (const std::string bad = verify_body(); !bad.empty()) {
    problem = bad;
    retry = true;  // a body cut short without Content-Length looks complete
  }
  if (problem.empty()) {
    if (!dir_.publish(temporary_, job_.name)) {
      problem = record_.path + ": " + std::strerror(errno);
    } else {
      temporary_.clear();
      temporary_guard_.release();
      record_.outcome = TransferOutcome::fetched;
      record_.error.clear();
      record_.t_end = now;
      return Next::done;
    }
  }
  dir_.discard(temporary_);
  temporary_.clear();
  temporary_guard_.release();
  return retry ? retry_or_fail(problem, now, deadline) : fail(problem, now);
}

}  // namespace juggle::fetch
