#include "results/stages.hpp"

#include <array>

namespace juggle::results {
namespace {
constexpr std::array<std::string_view, 17> kNames = {
    "walk",    "distribute", "count",          "count_file",  "gather", "tokenize", "tokenize_piece",
    "merge",   "shuffle",    "collect",        "fetch",       "fetch_transfer", "resolve_host",
    "wait",    "count_tokenize_piece", "pipeline", "join",
};
}  // namespace

std::span<const std::string_view> stage_names() noexcept { return kNames; }

std::string_view stage_name(Stage stage) noexcept {
  const auto i = static_cast<std::size_t>(stage);
  return i < kNames.size() ? kNames[i] : std::string_view{"unknown"};
}

}  // namespace juggle::results
