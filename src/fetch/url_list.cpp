#include "fetch/url_list.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <sstream>

namespace juggle::fetch {
namespace {

bool is_sha256(std::string& text) {
  if (text.size() != 64) return false;
  for (char& c : text) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return true;
}

}  // namespace

UrlList parse_url_list(std::istream& in) {
  UrlList list;
  std::string raw;
  for (int number = 1; std::getline(in, raw); ++number) {
    // A comment starts at a '#' that begins the line or follows white space
    // (a '#' inside a URL is its fragment).
    for (std::size_t at = raw.find('#'); at != std::string::npos; at = raw.find('#', at + 1)) {
      if (at == 0 || raw[at - 1] == ' ' || raw[at - 1] == '\t') {
        raw.resize(at);
        break;
      }
    }
    std::istringstream fields(raw);
    std::vector<std::string> words;
    for (std::string w; fields >> w;) words.push_back(w);
    if (words.empty()) continue;
    if (words.size() > 3) {
      list.problems.push_back({number, "expected: URL [SHA256 [SIZE]]"});
      continue;
    }
    UrlEntry entry;
    entry.url = words[0];
    entry.line = number;
    if (words.size() >= 2) {
      entry.sha256 = words[1];
      if (!is_sha256(entry.sha256)) {
        list.problems.push_back({number, "not a SHA-256 (64 hex digits): " + words[1]});
        continue;
      }
    }
    if (words.size() == 3) {
      std::uint64_t size = 0;
      const auto [end, ec] = std::from_chars(words[2].data(), words[2].data() + words[2].size(), size);
      if (ec != std::errc() || end != words[2].data() + words[2].size()) {
        list.problems.push_back({number, "not a size in bytes: " + words[2]});
        continue;
      }
      entry.size = size;
    }
    list.entries.push_back(std::move(entry));
  }
  return list;
}

}  // namespace juggle::fetch
