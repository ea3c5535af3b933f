#include "cli/stage_summary.hpp"

#include "cli/units.hpp"

namespace juggle::cli {

void print_ranks(const std::vector<pipeline::RankSummary>& ranks, std::ostream& out) {
  for (const pipeline::RankSummary& r : ranks)
    out << "rank " << r.rank << " on " << r.hostname << ": busy " << fixed(r.busy_seconds, 3) << " s\n";
}

JsonObject rank_seconds_json(const pipeline::RankStats& stats) {
  JsonObject json;
  json.number("slowest", stats.slowest).number("slowest_rank", stats.slowest_rank).number("mean", stats.mean);
  return json.number("imbalance", stats.imbalance);
}

Io ending_io(Io io, const PresentOptions& present) {
  const bool stdout_elsewhere = present.json() || io.verbosity == Verbosity::quiet;
  return {stdout_elsewhere ? discarded() : io.out, io.err, io.verbosity};
}

void print_json_summary(JsonObject summary, const std::string& published, Io io) {
  if (published.empty())
    summary.null("results");
  else
    summary.text("results", published);
  io.out << summary.str() << '\n';
  io.out.flush();
}

}  // namespace juggle::cli
