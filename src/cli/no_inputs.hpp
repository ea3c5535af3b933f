// The warning for a walk that found nothing to process (count, tokenize, run).
#pragma once

#include <ostream>
#include <vector>

#include "files/walk.hpp"

namespace juggle::cli {

inline void warn_if_no_inputs(const std::vector<files::InputFile>& inputs, std::ostream& err) {
  if (inputs.empty())
    err << "juggle: warning: no input files (none named, or an empty --files-from list; in directories only "
           "names matching --include are taken)\n";
}

}  // namespace juggle::cli
