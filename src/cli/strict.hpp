// --strict: the first input that fails stops the whole job
// (pipeline/input_failure.hpp says how).
#pragma once

#include <CLI/CLI.hpp>

namespace juggle::cli {

inline void add_strict_flag(CLI::App& cmd, bool& strict) {
  cmd.add_flag("--strict", strict, "stop the whole job at the first input that fails (exit 4, no results file)");
}

}  // namespace juggle::cli
