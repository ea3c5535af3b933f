// Whether a failed attempt of a transfer is worth another, and how long the
// server asks us to wait: the fetch stage's retry policy, apart from the
// transfer that applies it (transfer.hpp).
//
// Retried: network failures that a later attempt may not meet (resolving,
// connecting, a connection reset or cut short, a timeout, TLS set-up), and
// the HTTP statuses that say "later" (408, 429, 5xx). Not retried: every
// other curl error and status (a 404 stays a 404).
#pragma once

#include <curl/curl.h>

#include <ctime>
#include <optional>
#include <string_view>

namespace juggle::fetch {

[[nodiscard]] bool transient(CURLcode code) noexcept;
[[nodiscard]] bool retryable_status(long status) noexcept;

// A Retry-After header's value (RFC 9110: delay-seconds or an IMF-fixdate,
// surrounding spaces and line ends ignored) as seconds from `now`: a date
// in the past is 0, a delay too large for a double is +infinity (the
// caller caps its waits). Nothing for any other text.
[[nodiscard]] std::optional<double> parse_retry_after(std::string_view value, std::time_t now);

}  // namespace juggle::fetch
