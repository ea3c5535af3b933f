// One URL's attempts, independent of how transfers are scheduled.
//
// start_attempt() prepares a libcurl easy handle (reused across attempts and
// URLs so connections are kept): only http/https, redirects followed up to a
// limit, connect timeout, low-speed limit, a per-attempt time limit within
// the stage deadline, TLS verification, and a body cap checked as bytes
// arrive (a body without Content-Length can be endless). finish_attempt()
// judges the result: libcurl reports success for a 404, so the HTTP status
// decides; 408, 429, 5xx and transient network errors are retried after
// Retry-After or an exponential, jittered backoff, within the attempt limit
// and the deadline; the body must match the expected size and SHA-256 when
// they are given. Only then is the temporary file renamed to its final name;
// otherwise it is deleted.
#pragma once

#include <curl/curl.h>

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "fetch/fetch_types.hpp"
#include "fetch/output_dir.hpp"
#include "files/interrupt.hpp"

namespace juggle::fetch {

class Transfer {
 public:
  enum class Next : std::uint8_t { done, retry };

  // `index`: the URL's place in its list (schedulers find it back by it).
  Transfer(FetchJob job, std::size_t index, OutputDir& dir, const FetchPolicy& policy, std::uint64_t seed);
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;
  ~Transfer();

  // A complete file from an earlier run: recorded as skipped, no transfer.
  bool skip_if_complete(double now);
  // Prepares `easy` for the next attempt; false (and done) if the temporary
  // file cannot be created.
  bool start_attempt(CURL* easy, double now, double deadline);
  // Judges the attempt that just ended.
  Next finish_attempt(CURL* easy, CURLcode code, double now, double deadline);
  // With Next::retry: when, on the stage clock.
  [[nodiscard]] double retry_at() const noexcept { return retry_at_; }
  [[nodiscard]] const TransferRecord& record() const noexcept { return record_; }
  void set_worker(int worker) noexcept { record_.worker = worker; }
  [[nodiscard]] std::size_t index() const noexcept { return index_; }

 private:
  static std::size_t on_write(char* data, std::size_t size, std::size_t count, void* self);
  // Writes what on_write gathered; false (errno kept in write_errno_) on error.
  bool flush_pending() noexcept;
  static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* self);
  void close_temporary() noexcept;
  Next fail(std::string reason, double now);
  Next retry_or_fail(std::string reason, double now, double deadline);
  std::string verify_body() const;

  FetchJob job_;
  std::size_t index_;
  OutputDir& dir_;
  const FetchPolicy& policy_;
  TransferRecord record_;
  std::mt19937_64 jitter_;
  std::string temporary_;
  files::RemoveOnInterrupt temporary_guard_;  // removes temporary_ if juggle is interrupted
  int fd_ = -1;
  std::uint64_t bytes_ = 0;
  // libcurl hands the body over in pieces of at most 16 KiB; they are
  // gathered here and written in large blocks (one write per 256 KiB, not 16).
  std::vector<char> pending_;
  int write_errno_ = 0;
  bool too_big_ = false;
  bool write_failed_ = false;
  std::optional<double> retry_after_;
  double retry_at_ = 0;
  char error_[CURL_ERROR_SIZE] = {};
};

}  // namespace juggle::fetch
