// What the fetch stage is asked to do and what it reports, without libcurl.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace juggle::fetch {

enum class FetchMode : std::uint8_t { sequential, multi, threads };

[[nodiscard]] std::string_view mode_name(FetchMode mode) noexcept;
[[nodiscard]] std::optional<FetchMode> parse_mode(std::string_view text) noexcept;

// Every robustness knob; each has a command-line flag.
struct FetchPolicy {
  int max_attempts = 4;              // per URL, first try included
  double backoff_initial = 0.5;      // seconds before the 2nd attempt; doubles, with +-50 % jitter
  double backoff_max = 30;           // cap on one wait, Retry-After included
  double deadline = 900;             // seconds for the whole stage
  long connect_timeout_ms = 10000;
  long low_speed_bytes = 1024;       // a transfer slower than this ...
  long low_speed_seconds = 15;       // ... for this long is dropped
  long max_redirects = 10;
  std::uint64_t max_bytes = 4ull << 30;  // body cap, enforced while receiving
  bool verify_tls = true;
};

struct FetchJob {
  std::string url;
  std::string name;                   // file name inside the output directory
  std::string sha256;                 // expected, lowercase hex; empty: unchecked
  std::optional<std::uint64_t> size;  // expected bytes
};

enum class TransferOutcome : std::uint8_t { fetched, skipped, failed };

struct TransferRecord {
  std::string url;
  std::string path;  // output directory / name
  TransferOutcome outcome = TransferOutcome::failed;
  long http_status = 0;  // of the last attempt (0: no response)
  std::uint64_t bytes = 0;
  int attempts = 0;
  std::string error;  // empty unless failed
  double t_start = 0;  // seconds on the stage clock
  double t_end = 0;
  int worker = 0;  // thread (threads mode), else 0
};

}  // namespace juggle::fetch
