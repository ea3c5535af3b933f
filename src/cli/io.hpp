// The streams a command writes to: std::cout/std::cerr from main(), string
// streams in tests that run commands in-process.
#pragma once

#include <iostream>

namespace juggle::cli {

struct Io {
  std::ostream& out = std::cout;
  std::ostream& err = std::cerr;
};

}  // namespace juggle::cli
