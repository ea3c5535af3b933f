// Rates as results files and summaries state them.
#pragma once

namespace juggle::results {

// amount / seconds, 0 when no time passed.
[[nodiscard]] inline double per_second(double amount, double seconds) { return seconds > 0 ? amount / seconds : 0; }

}  // namespace juggle::results
