#include "pipeline/fetch_stage.hpp"

#include <fstream>
#include <iostream>

#include "fetch/url_list.hpp"
#include "fetch/url_naming.hpp"
#include "parallel/collectives.hpp"
#include "results/rates.hpp"

namespace juggle::pipeline {
namespace {

using fetch::TransferOutcome;
using fetch::TransferRecord;

FetchTotals totals_of(const std::vector<TransferRecord>& records, std::size_t list_problems) {
  FetchTotals t;
  t.urls = records.size();
  t.failed = list_problems;
  for (const TransferRecord& r : records) {
    t.fetched += r.outcome == TransferOutcome::fetched;
    t.skipped += r.outcome == TransferOutcome::skipped;
    t.failed += r.outcome == TransferOutcome::failed;
    if (r.outcome == TransferOutcome::fetched) t.bytes += r.bytes;
  }
  return t;
}

results::ResultsContent fetch_results(const std::vector<TransferRecord>& records, const FetchTotals& t, double wall,
                                      const FetchSettings& o, std::vector<results::Event> events) {
  using results::Column;
  using results::column_of;
  results::ResultsContent c;
  c.steps = {"fetch"};
  c.root.emplace_back("fetch_mode", std::string(fetch::mode_name(o.mode)));
  c.root.emplace_back("fetch_concurrency", std::int64_t{o.concurrency});
  c.events = std::move(events);
  const auto outcome = [](const TransferRecord& r) {
    return std::string(r.outcome == TransferOutcome::fetched   ? "fetched"
                       : r.outcome == TransferOutcome::skipped ? "skipped"
                                                               : "failed");
  };
  c.tables.push_back(
      {"fetch/transfers",
       {{"url", Column(column_of<std::string>(records, [](const TransferRecord& r) { return r.url; }))},
        {"path", Column(column_of<std::string>(records, [](const TransferRecord& r) { return r.path; }))},
        {"outcome", Column(column_of<std::string>(records, outcome))},
        {"http_status",
         Column(column_of<std::int32_t>(records, [](const TransferRecord& r) { return r.http_status; }))},
        {"bytes", Column(column_of<std::uint64_t>(records, [](const TransferRecord& r) { return r.bytes; }))},
        {"seconds", Column(column_of<double>(records, [](const TransferRecord& r) { return r.t_end - r.t_start; }))},
        {"attempts", Column(column_of<std::int32_t>(records, [](const TransferRecord& r) { return r.attempts; }))},
        {"error", Column(column_of<std::string>(records, [](const TransferRecord& r) { return r.error; }))}}});
  c.attribute_groups.push_back({"fetch/total",
                                {{"urls", t.urls},
                                 {"fetched", t.fetched},
                                 {"skipped", t.skipped},
                                 {"failed", t.failed},
                                 {"bytes", t.bytes},
                                 {"wall_seconds", wall},
                                 {"mb_per_s", results::per_second(static_cast<double>(t.bytes) / 1e6, wall)}}});
  return c;
}

}  // namespace

// Rank 0's part: read the list and open the output directory. Nothing,
// with `status` set, when either cannot be used.
std::optional<PreparedFetch> prepare_fetch(const FetchSettings& o, std::ostream& err, int& status) {
  std::ifstream file;
  if (o.urls != "-") {
    file.open(o.urls);
    if (!file) {
      err << "juggle: " << o.urls << ": cannot read the URL list\n";
      status = kExitUsage;
      return std::nullopt;
    }
  }
  const fetch::UrlList list = fetch::parse_url_list(o.urls == "-" ? std::cin : file);
  for (const auto& p : list.problems) err << "juggle: " << o.urls << ':' << p.line << ": " << p.reason << '\n';
  std::vector<std::string> urls;
  for (const auto& e : list.entries) urls.push_back(e.url);
  const std::vector<std::string> names = fetch::assign_file_names(urls);
  PreparedFetch prepared;
  prepared.list_problems = list.problems.size();
  fetch::FetchRequest& request = prepared.request;
  for (std::size_t i = 0; i < list.entries.size(); ++i)
    request.jobs.push_back({list.entries[i].url, names[i], list.entries[i].sha256, list.entries[i].size});
  request.mode = o.mode;
  request.concurrency = o.concurrency;
  request.policy = o.policy;
  request.force = o.force;
  try {
    prepared.dir = std::make_unique<fetch::OutputDir>(o.out);
  } catch (const std::exception& e) {
    err << "juggle: " << e.what() << '\n';
    status = kExitOutput;
    return std::nullopt;
  }
  return prepared;
}

FetchedFiles run_transfers(const FetchSettings& o, PreparedFetch& prepared, const results::Clock& clock,
                           FetchObserver& observer, const fetch::OnTransferDone& landed) {
  FetchedFiles done;
  done.started = clock.now();
  observer.started(prepared.request.jobs.size());
  done.records = fetch::fetch_all(prepared.request, *prepared.dir, clock, [&](const TransferRecord& r) {
    observer.transfer_done(r);
    if (landed) landed(r);
  });
  done.finished = clock.now();
  const double wall = done.finished - done.started;
  std::vector<results::Event> events;
  for (const TransferRecord& r : done.records) {
    events.push_back({0, r.worker, static_cast<std::int32_t>(results::Stage::fetch_transfer), 0, r.t_start, r.t_end,
                      r.bytes, static_cast<std::uint64_t>(r.attempts)});
    if (r.outcome != TransferOutcome::failed) done.paths.push_back(r.path);
  }
  events.push_back(
      {0, 0, static_cast<std::int32_t>(results::Stage::fetch), 0, done.started, done.finished, 0, done.records.size()});
  const FetchTotals t = totals_of(done.records, prepared.list_problems);
  done.totals = t;
  done.stale_partials_removed = prepared.dir->stale_partials_removed();
  done.report = {t.failed > 0 ? kExitSomeFailed : kExitOk, fetch_results(done.records, t, wall, o, events), {}, {}};
  observer.finished(done);
  return done;
}

namespace {

StageReport fetch_on_rank0(const FetchSettings& o, RunContext& run, std::ostream& err, FetchObserver& observer,
                           std::vector<std::string>& fetched_paths) {
  int status = kExitOk;
  std::optional<PreparedFetch> prepared = prepare_fetch(o, err, status);
  if (!prepared) return {status, {}, {}, {}};
  FetchedFiles done = run_transfers(o, *prepared, run.clock, observer, {});
  fetched_paths = std::move(done.paths);
  return std::move(done.report);
}

}  // namespace

StageReport fetch_stage(const FetchSettings& o, RunContext& run, std::ostream& err, FetchObserver& observer,
                        std::vector<std::string>& fetched_paths) {
  fetched_paths.clear();
  StageReport report;
  if (run.world.rank == 0) report = fetch_on_rank0(o, run, err, observer, fetched_paths);
  // The other ranks learn what landed (the input of the stages that follow).
  parallel::broadcast_strings(fetched_paths, 0);
  return report;
}

}  // namespace juggle::pipeline
