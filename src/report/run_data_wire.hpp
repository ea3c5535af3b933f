// A results::RunData as bytes, to carry it from the process that read a results file
// to the one that reports it (isolated_read.hpp). Both ends are the same
// executable, so numbers travel in native byte order and events as their
// bytes; the decoder still checks every length against what is left, so a
// message cut short by a dying writer is refused, never read past its end.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "results/results_reader.hpp"

namespace juggle::report {

[[nodiscard]] std::string encode_run_data(const results::RunData& run);

// The results::RunData, or nothing if `bytes` is not one whole encode_run_data().
[[nodiscard]] std::optional<results::RunData> decode_run_data(std::string_view bytes);

}  // namespace juggle::report
