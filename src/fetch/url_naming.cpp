#include "fetch/url_naming.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <set>

namespace juggle::fetch {
namespace {

constexpr std::size_t kMaxName = 120;

// The URL's path, percent-encoded as given; empty when it does not parse.
std::string url_path(std::string_view url) {
  std::unique_ptr<CURLU, void (*)(CURLU*)> handle(curl_url(), curl_url_cleanup);
  if (!handle) return {};
  const std::string text(url);
  if (curl_url_set(handle.get(), CURLUPART_URL, text.c_str(), CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK) return {};
  char* path = nullptr;
  if (curl_url_get(handle.get(), CURLUPART_PATH, &path, 0) != CURLUE_OK || path == nullptr) return {};
  std::string out = path;
  curl_free(path);
  return out;
}

std::string hash_hex(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (const char c : text) {
    h ^= static_cast<std::uint8_t>(c);
    h *= 0x100000001b3ull;
  }
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h));
  return out;
}

// "name.ext" -> {"name", ".ext"}; a short, plain extension only.
std::pair<std::string, std::string> split_extension(const std::string& name) {
  const auto dot = name.rfind('.');
  if (dot == std::string::npos || dot == 0 || name.size() - dot > 10) return {name, ""};
  return {name.substr(0, dot), name.substr(dot)};
}

}  // namespace

std::string file_name_for_url(std::string_view url) {
  const std::string path = url_path(url);
  std::string segment = path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1);
  if (segment.empty() || segment == "." || segment == "..") return "index";
  for (char& c : segment) {
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                      c == '_' || c == '-';
    if (!safe) c = '_';
  }
  for (std::size_t i = 0; i < segment.size() && segment[i] == '.'; ++i) segment[i] = '_';
  if (segment.size() > kMaxName) {
    auto [stem, ext] = split_extension(segment);
    segment = stem.substr(0, kMaxName - 17 - ext.size()) + "-" + hash_hex(url) + ext;
  }
  return segment;
}

std::vector<std::string> assign_file_names(const std::vector<std::string>& urls) {
  std::set<std::string> taken;
  std::vector<std::string> names;
  names.reserve(urls.size());
  for (const std::string& url : urls) {
    std::string name = file_name_for_url(url);
    if (taken.count(name)) {
      const auto [stem, ext] = split_extension(name);
      for (int n = 2;; ++n) {
        // The suffix fits within kMaxName: a long stem gives way (fuzzing
        // found a shortened 120-byte name made 122 by "-2").
        std::string suffix = "-";
        suffix.append(std::to_string(n)).append(ext);
        name.assign(stem, 0, kMaxName - std::min(kMaxName, suffix.size()));
        name.append(suffix);
        if (!taken.count(name)) break;
      }
    }
    taken.insert(name);
    names.push_back(name);
  }
  return names;
}

}  // namespace juggle::fetch
