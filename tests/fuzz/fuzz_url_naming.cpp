// Fuzz target: URL -> file name (fetch/url_naming.hpp).
//
// The input is a list of URLs, one per line (any bytes). Properties of every
// name: never empty, never "." or "..", never hidden (leading '.'), only
// [A-Za-z0-9._-] (so no '/' and no NUL: it cannot leave the output
// directory), at most 120 bytes; within the list the names are unique and
// the same list always gets the same names.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "fetch/url_naming.hpp"

namespace {

void check_name(const std::string& url, const std::string& name) {
  bool ok = !name.empty() && name != "." && name != ".." && name[0] != '.' && name.size() <= 120;
  for (const char c : name) {
    const auto u = static_cast<unsigned char>(c);
    ok = ok && ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || c == '.' || c == '_' ||
                c == '-');
  }
  if (!ok) {
    std::fprintf(stderr, "fuzz_url_naming: URL of %zu bytes named \"%s\"\n", url.size(), name.c_str());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> urls;
  std::size_t at = 0;
  while (at <= input.size() && urls.size() < 64) {
    const std::size_t nl = input.find('\n', at);
    urls.push_back(input.substr(at, nl == std::string::npos ? std::string::npos : nl - at));
    if (nl == std::string::npos) break;
    at = nl + 1;
  }
  for (const auto& url : urls) check_name(url, juggle::fetch::file_name_for_url(url));
  const auto names = juggle::fetch::assign_file_names(urls);
  if (names.size() != urls.size()) std::abort();
  std::set<std::string> seen;
  for (std::size_t i = 0; i < names.size(); ++i) {
    check_name(urls[i], names[i]);
    if (!seen.insert(names[i]).second) {
      std::fprintf(stderr, "fuzz_url_naming: \"%s\" given twice\n", names[i].c_str());
      std::abort();
    }
  }
  if (juggle::fetch::assign_file_names(urls) != names) std::abort();
  return 0;
}
