// The resolve stage: host-name lookups on rank 0 alone (IO-bound, not
// parallel work), blocking one after another or concurrent.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "fetch/resolver.hpp"
#include "pipeline/run_lifecycle.hpp"
#include "results/timeline.hpp"

namespace juggle::pipeline {

struct ResolveSettings {
  std::vector<std::string> hosts;
  std::string hosts_file;  // more hosts, from a list (fetch::parse_host_list); empty: none
  bool concurrent = true;
  int concurrency = 32;  // lookups at once, when concurrent
};

struct ResolveOutcome {
  std::vector<fetch::Lookup> lookups;  // in `hosts` order
  std::uint64_t failed = 0;
  double wall_seconds = 0;
};

// Rank 0. `on_done` hears each lookup as it ends. Nothing, after naming the
// file on `err`, when the host list cannot be read.
[[nodiscard]] std::optional<ResolveOutcome> resolve_stage(const ResolveSettings& settings, const results::Clock& clock,
                                                          std::ostream& err,
                                                          const std::function<void(const fetch::Lookup&)>& on_done);

// The stage's exit status and its part of the results file.
[[nodiscard]] StageReport resolve_report(const ResolveOutcome& outcome, const ResolveSettings& settings);

}  // namespace juggle::pipeline
