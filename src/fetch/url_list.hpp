// The list of files to fetch: one URL per line, optionally followed by the
// expected SHA-256 (64 hex digits) and size in bytes; a '#' at the start of
// a line or after white space starts a comment (elsewhere it is a fragment);
// blank lines are ignored. A bad line is reported with its number and does
// not stop the others.
#pragma once

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <vector>

namespace juggle::fetch {

struct UrlEntry {
  std::string url;
  std::string sha256;                 // lowercase hex, empty when not given
  std::optional<std::uint64_t> size;  // expected bytes
  int line = 0;
};

struct UrlListProblem {
  int line = 0;
  std::string reason;
};

struct UrlList {
  std::vector<UrlEntry> entries;
  std::vector<UrlListProblem> problems;
};

[[nodiscard]] UrlList parse_url_list(std::istream& in);

}  // namespace juggle::fetch
