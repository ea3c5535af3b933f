// The warning for a walk that found nothing to process (count, tokenize, run).
#pragma once

#include <ostream>
#include <cstdint>

namespace juggle::cli {

inline void warn_if_no_inputs(std::uint64_t inputs, std::ostream& err) {
  if (inputs == 0)
    err << "juggle: warning: no input files (none named, or an empty --files-from list; in directories only "
           "names matching --include are taken)\n";
}

}  // namespace juggle::cli
