#include "fetch/fetch_types.hpp"

namespace juggle::fetch {

std::string_view mode_name(FetchMode mode) noexcept {
  switch (mode) {
    case FetchMode::sequential: return "sequential";
    case FetchMode::multi: return "multi";
    case FetchMode::threads: return "threads";
  }
  return "unknown";
}

std::optional<FetchMode> parse_mode(std::string_view text) noexcept {
  if (text == "sequential") return FetchMode::sequential;
  if (text == "multi") return FetchMode::multi;
  if (text == "threads") return FetchMode::threads;
  return std::nullopt;
}

}  // namespace juggle::fetch
