// The streams a command writes to: std::cout/std::cerr from main(), string
// streams in tests that run commands in-process; and how much it says.
#pragma once

#include <iostream>

namespace juggle::cli {

// -q: only errors (and on stdout only what an option asked for by name);
// -v: more detail where a command has it.
enum class Verbosity { quiet, normal, verbose };

struct Io {
  std::ostream& out = std::cout;
  std::ostream& err = std::cerr;
  Verbosity verbosity = Verbosity::normal;
};

// A stream that drops what is written to it: the stdout of a quiet command.
inline std::ostream& discarded() {
  static std::ostream nowhere(nullptr);
  return nowhere;
}

}  // namespace juggle::cli
