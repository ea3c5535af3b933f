// The fetch stage's retry policy (fetch/retry_policy.hpp): which failures
// are worth another attempt, and how a Retry-After header is read.
#include <catch2/catch.hpp>

#include <string>

#include "fetch/retry_policy.hpp"

using namespace juggle::fetch;

TEST_CASE("network failures a later attempt may not meet are transient; the others are final",
          "[fetch][retry]") {
  for (CURLcode code : {CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT,
                        CURLE_PARTIAL_FILE, CURLE_OPERATION_TIMEDOUT, CURLE_SEND_ERROR, CURLE_RECV_ERROR,
                        CURLE_GOT_NOTHING, CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_SSL_CONNECT_ERROR})
    CHECK(transient(code));
  for (CURLcode code : {CURLE_OK, CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT, CURLE_TOO_MANY_REDIRECTS,
                        CURLE_WRITE_ERROR, CURLE_FILESIZE_EXCEEDED, CURLE_PEER_FAILED_VERIFICATION,
                        CURLE_ABORTED_BY_CALLBACK, CURLE_LOGIN_DENIED})
    CHECK_FALSE(transient(code));
}

TEST_CASE("408, 429 and every 5xx are retried; no other status is", "[fetch][retry]") {
  for (long status = 100; status < 1000; ++status) {
    const bool later = status == 408 || status == 429 || (status >= 500 && status <= 599);
    INFO("HTTP " << status);
    CHECK(retryable_status(status) == later);
  }
  CHECK_FALSE(retryable_status(0));  // no response at all: the curl code decides
}

TEST_CASE("Retry-After in seconds, with the spaces and line end of a header line", "[fetch][retry]") {
  const std::time_t now = 1'700'000'000;
  CHECK(parse_retry_after("120", now) == 120.0);
  CHECK(parse_retry_after(" 0\r\n", now) == 0.0);
  CHECK(parse_retry_after("\t7 ", now) == 7.0);
  // Too large for a double: +infinity for the caller to cap, not an exception
  // escaping libcurl's header callback.
  const auto huge = parse_retry_after(std::string(400, '9'), now);
  REQUIRE(huge);
  CHECK(*huge > 1e300);
  for (const char* bad : {"", "  \r\n", "-5", "1.5", "12s", "soon", "0x10"}) {
    INFO(bad);
    CHECK_FALSE(parse_retry_after(bad, now));
  }
}

TEST_CASE("Retry-After as an HTTP date is the seconds from now, 0 once past", "[fetch][retry]") {
  const std::time_t now = 784'111'777;  // Sun, 06 Nov 1994 08:49:37 GMT (RFC 9110's example)
  CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now) == 0.0);
  CHECK(parse_retry_after("Sun, 06 Nov 1994 08:51:07 GMT\r\n", now) == 90.0);
  CHECK(parse_retry_after("Sat, 05 Nov 1994 08:49:37 GMT", now) == 0.0);  // in the past
  CHECK_FALSE(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT trailing", now));
  CHECK_FALSE(parse_retry_after("Sunday, 06-Nov-94 08:49:37", now));
}
