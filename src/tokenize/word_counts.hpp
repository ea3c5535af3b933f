// Word -> occurrences: what every tokenizing step produces and merges.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <string>

namespace juggle::tokenize {

// absl's open addressing with short keys stored inline (std::string's
// small-string buffer) is ~2x faster than std::unordered_map.
using WordCounts = absl::flat_hash_map<std::string, std::uint64_t>;

}  // namespace juggle::tokenize
