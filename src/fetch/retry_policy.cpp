#include "fetch/retry_policy.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>

namespace juggle::fetch {

bool transient(CURLcode code) noexcept {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_PARTIAL_FILE:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR: return true;
    default: return false;
  }
}

bool retryable_status(long status) noexcept { return status == 408 || status == 429 || (status >= 500 && status <= 599); }

std::optional<double> parse_retry_after(std::string_view value, std::time_t now) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!value.empty() && blank(value.back())) value.remove_suffix(1);
  while (!value.empty() && blank(value.front())) value.remove_prefix(1);
  if (value.empty()) return std::nullopt;
  const std::string text(value);
  if (std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::strtod(text.c_str(), nullptr);  // HUGE_VAL past a double's range, never an exception
  std::tm when{};
  const char* end = ::strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &when);
  if (end == nullptr || *end != '\0') return std::nullopt;
  const double delay = std::difftime(::timegm(&when), now);
  return delay > 0 ? delay : 0;
}

}  // namespace juggle::fetch
