// What a rank throws from a collective write when its own part went well but
// another rank's failed. That rank's exception says why; a caller that
// agrees on one reason over the ranks (parallel::agree_on_failure, which
// takes the lowest failing rank's) gives this one none, so the reason shown
// is the real one, not "another rank failed".
#pragma once

#include <stdexcept>

namespace juggle::results {

class FailedOnAnotherRank : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace juggle::results
