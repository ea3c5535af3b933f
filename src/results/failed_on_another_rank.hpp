// What the ranks throw from a collective write once they have agreed that
// it failed (AgreedFailure): the failing rank with its own reason, the
// others as FailedOnAnotherRank, a kind of it. A caller that agrees on one reason over the ranks
// (parallel::agree_on_failure, which takes the lowest failing rank's)
// gives the second none, so the reason shown is the real one, not
// "another rank failed". Any other exception from a collective write was
// met by one rank alone while the others may wait in a collective call:
// it must stop the job (MPI_Abort), not be agreed on later.
#pragma once

#include <stdexcept>

namespace juggle::results {

class AgreedFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class FailedOnAnotherRank : public AgreedFailure {
 public:
  using AgreedFailure::AgreedFailure;
};

}  // namespace juggle::results
