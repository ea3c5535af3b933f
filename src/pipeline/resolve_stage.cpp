#include "pipeline/resolve_stage.hpp"

#include <fstream>

#include "results/results_file.hpp"

namespace juggle::pipeline {

std::optional<ResolveOutcome> resolve_stage(const ResolveSettings& s, const results::Clock& clock, std::ostream& err,
                                            const std::function<void(const fetch::Lookup&)>& on_done) {
  std::vector<std::string> hosts = s.hosts;
  if (!s.hosts_file.empty()) {
    std::ifstream in(s.hosts_file);
    if (!in) {
      err << "juggle: " << s.hosts_file << ": cannot read the host list\n";
      return std::nullopt;
    }
    for (std::string& h : fetch::parse_host_list(in)) hosts.push_back(std::move(h));
  }
  ResolveOutcome out;
  const double t0 = clock.now();
  out.lookups = fetch::resolve_all(hosts, s.concurrent, s.concurrency, clock, on_done);
  out.wall_seconds = clock.now() - t0;
  for (const fetch::Lookup& l : out.lookups) out.failed += l.error.empty() ? 0 : 1;
  return out;
}

StageReport resolve_report(const ResolveOutcome& out, const ResolveSettings& s) {
  using results::Column;
  using results::column_of;
  const std::vector<fetch::Lookup>& lookups = out.lookups;
  results::ResultsContent c;
  c.steps = {"resolve"};
  c.root.emplace_back("resolve_mode", std::string(s.concurrent ? "concurrent" : "sequential"));
  for (const fetch::Lookup& l : lookups)
    c.events.push_back({0, l.worker, static_cast<std::int32_t>(results::Stage::resolve_host), 0, l.t_start, l.t_end, 0,
                        l.addresses.size()});
  const auto joined = [](const fetch::Lookup& l) {
    std::string text;
    for (const std::string& a : l.addresses) text += (text.empty() ? "" : " ") + a;
    return text;
  };
  c.tables.push_back(
      {"resolve/hosts",
       {{"host", Column(column_of<std::string>(lookups, [](const fetch::Lookup& l) { return l.host; }))},
        {"addresses", Column(column_of<std::string>(lookups, joined))},
        {"seconds", Column(column_of<double>(lookups, [](const fetch::Lookup& l) { return l.t_end - l.t_start; }))},
        {"error", Column(column_of<std::string>(lookups, [](const fetch::Lookup& l) { return l.error; }))}}});
  c.attribute_groups.push_back(
      {"resolve/total",
       {{"hosts", std::uint64_t{lookups.size()}}, {"failed", out.failed}, {"wall_seconds", out.wall_seconds}}});
  return {out.failed > 0 ? kExitSomeFailed : kExitOk, std::move(c), {}, {}};
}

}  // namespace juggle::pipeline
